// SKSystem: the one module that makes POSIX calls and touches raw memory (file descriptors,
// sockets, inotify, flock, gmtime, unaligned loads). Everything above it is pure Swift.
// See docs/architecture.md, "Where C lives".
