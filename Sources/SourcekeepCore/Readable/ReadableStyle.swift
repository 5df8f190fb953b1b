/// The readable rendition's own look and its script ban (docs/design.md#readable-copies).
///
/// Why inline and fixed: the rendition must read the same in any browser with no network and
/// must not run anything; the page's own styles never come along (they hid WeChat's text).
enum ReadableStyle {
  /// The policy of a rendition as archived: no script, no frame, no form, no `<base>`; images
  /// from the web (a replay or `show` rewrites them) or inline.
  static let archivedPolicy =
    "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

  /// The policy `show --format html` writes: the same, with images only inline, so opening
  /// the file never touches the network.
  static let offlinePolicy =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

  /// Readable on a phone and a desktop, CJK fonts first for Chinese articles, a dark variant.
  static let css = """
    :root{color-scheme:light dark}
    body{margin:0;padding:1rem;background:#fff;color:#1d1d1f;\
    font:1.05rem/1.8 -apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","WenQuanYi Micro Hei",\
    "Microsoft YaHei",system-ui,sans-serif;overflow-wrap:break-word;word-break:normal;line-break:auto}
    article{max-width:42rem;margin:0 auto}
    h1{font-size:1.55rem;line-height:1.35;margin:0.4rem 0 0.6rem}
    h2,h3,h4,h5,h6{line-height:1.4;margin:1.6rem 0 0.6rem}h2{font-size:1.3rem}h3{font-size:1.15rem}\
    h4,h5,h6{font-size:1rem}
    p{margin:0 0 1rem}a{color:#0b57d0}
    img{max-width:100%;height:auto;display:block;margin:0 auto}
    figure{margin:1.2rem 0}figcaption{color:#666;font-size:0.88rem;text-align:center;margin-top:0.4rem}
    blockquote{margin:1rem 0;padding:0.2rem 0 0.2rem 1rem;border-left:3px solid #ccc;color:#444}
    pre{overflow-x:auto;background:#f5f5f7;padding:0.75rem;font-size:0.88rem;line-height:1.5;white-space:pre}
    code{font-size:0.92em;background:#f5f5f7;padding:0 0.2em}pre code{background:none;padding:0}
    .sk-table{overflow-x:auto;margin:1rem 0}table{border-collapse:collapse;font-size:0.95rem}
    th,td{border:1px solid #ddd;padding:0.35rem 0.6rem;vertical-align:top;text-align:left}th{background:#f5f5f7}
    td p,th p{margin:0}caption{color:#666;font-size:0.88rem;padding-bottom:0.3rem}
    ul,ol{padding-left:1.6rem;margin:0 0 1rem}li{margin:0.2rem 0}
    .sk-source{border-bottom:1px solid #ddd;margin-bottom:1.4rem;padding-bottom:0.8rem}
    .sk-byline{color:#555;margin:0 0 0.4rem}.sk-meta{color:#666;font-size:0.85rem;margin:0}\
    .sk-meta a{word-break:break-all}
    .sk-banner{background:#fff4e5;color:#5c3b00;border:1px solid #f0c36d;padding:0.5rem 0.75rem;\
    font-size:0.9rem;margin:0 auto 1rem;max-width:42rem}
    .sk-missing{display:block;color:#666;background:#f5f5f7;border:1px dashed #bbb;padding:0.5rem;\
    font-size:0.85rem;word-break:break-all;text-align:center}
    @media (prefers-color-scheme:dark){body{background:#1c1c1e;color:#e5e5e7}a{color:#8ab4f8}\
    blockquote{color:#bbb;border-color:#555}pre,code,th,.sk-missing{background:#2c2c2e}\
    th,td{border-color:#444}.sk-banner{background:#3a2e1a;color:#f5deb3;border-color:#7a5c1e}}
    """
}
