import NIOCore
import SourcekeepCore

/// An archived response as `id_` and `im_` serve it: the body ready to send (a `ByteBuffer`
/// shares its storage, so a kept body is sent without a copy) and the headers it needs.
struct ArchivedBody: Sendable {
  let body: ByteBuffer
  let contentType: String?
  let contentEncoding: String?

  init(_ response: StoredResponse) {
    body = ByteBuffer(bytes: response.body)
    contentType = response.contentType
    contentEncoding = response.contentEncoding
  }

  /// Bytes the cache counts for it (the body and a little for the rest).
  var bytes: Int { body.readableBytes + 256 }
}
