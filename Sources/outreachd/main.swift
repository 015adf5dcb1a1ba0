import Foundation

Allocator.configure()
exit(CLI.main(Array(CommandLine.arguments.dropFirst())))
