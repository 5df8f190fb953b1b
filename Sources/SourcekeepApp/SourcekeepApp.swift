// SourcekeepApp: the application layer. The jobs (`ingest now`, `check now`), their output and
// progress hooks, shared by the CLI and the daemon. See docs/architecture.md.
