import CCurl

/// One transfer a `CurlMulti` runs: it sets its easy handle up, turns libcurl's result into its
/// output, and frees its C memory once the handle no longer points at it.
protocol CurlTransfer: AnyObject {
    associatedtype Output
    /// Sets the options; returns an output to report without running (a refused request), or nil.
    func configure(_ easy: UnsafeMutableRawPointer) -> Output?
    func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) -> Output
    func release()
}
