"""`sourcekeep run` started with a notify socket of its own and stopped with SIGTERM, as systemd
would (not a test): shared by ready.py and cycle.py."""
import os, signal, socket, subprocess, tempfile, time


class NotifiedDaemon:
    def __init__(self, binary, config, prefix):
        self.folder = tempfile.mkdtemp(prefix=prefix)
        self.path = os.path.join(self.folder, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        env = dict(os.environ, NOTIFY_SOCKET=self.path)
        self.start = time.monotonic()
        self.process = subprocess.Popen([binary, "run", "--config", config], env=env, stdout=subprocess.DEVNULL,
                                        stderr=open(os.path.join(self.folder, "stderr"), "w"))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.unlink(self.path)
