import Foundation
import Outreach

enum CLI {
    static func main(_ args: [String]) -> Int32 { 0 }
}
