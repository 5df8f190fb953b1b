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
        """SIGTERM, then prints how long the exit took: the daemon's contract is 10 s. One that
        is still running after 60 s (a lost signal) is killed, said so, and the caller fails."""
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(60)
            print(f"stopped {time.monotonic() - sent:.2f} s after SIGTERM, exit {code}")
            stopped = code == 0
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            print("still running 60 s after SIGTERM: killed (see the daemon's stderr in " + self.folder + ")")
            stopped = False
        os.unlink(self.path)
        return stopped
