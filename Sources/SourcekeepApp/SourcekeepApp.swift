// SourcekeepApp: the application layer. The jobs (`ingest now`, `check now`, `show`), their output,
// progress hooks and progress line, the control protocol and the exit statuses, shared by the
// CLI and the daemon. See docs/architecture.md.
