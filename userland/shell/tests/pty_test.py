#!/usr/bin/python3
"""The interactive shell on a pseudo-terminal: prompt, line editor, history
(also across shells through the history file), tab completion, and job
control (Ctrl-C and Ctrl-Z reach the foreground job, jobs/fg/bg, background
jobs stopped by terminal input, notifications).

    pty_test.py FUTSH [PROGRAM...]   (programs: coreutils, put on PATH)
"""
import os
import pty
import re
import select
import shutil
import struct
import sys
import termios
import fcntl
import time

FUTSH = os.path.abspath(sys.argv[1])
TMP = os.environ.get("TEST_TMPDIR", "/tmp")
BIN = os.path.join(TMP, "ptybin")
shutil.rmtree(BIN, ignore_errors=True)
os.makedirs(BIN)
for prog in sys.argv[2:]:
    os.symlink(os.path.abspath(prog), os.path.join(BIN, os.path.basename(prog)))

# A new prompt starts a line; redraws while typing start with a bare \r.
PROMPT = rb"(?:\A|(?<=\n))\r?futsh:[^\r\n]* \[(\d+)\]\$ "
checks = 0
failures = 0


class Failure(Exception):
    pass


class Shell:
    """futsh on a new pty, as its session leader (so it has a controlling
    terminal and can do job control)."""

    def __init__(self, home, cwd, cols=400):
        self.home = home
        env = {"PATH": BIN, "HOME": home, "TERM": "xterm", "LC_ALL": "C"}
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            os.execve(FUTSH, [FUTSH], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
        self.out = b""
        self.pos = 0
        self.eof = False

    def _pump(self, timeout):
        if self.eof:
            time.sleep(timeout)
            return False
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            self.eof = True  # the shell closed the terminal
            return False
        self.out += data
        return True

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        while data:
            _, w, _ = select.select([], [self.fd], [], 0.05)
            if w:
                n = os.write(self.fd, data[:1024])
                data = data[n:]
            self._pump(0)

    def expect(self, pattern, timeout=10):
        """Waits for pattern (bytes regex) after what was already matched."""
        regex = re.compile(pattern, re.S)
        deadline = time.time() + timeout
        while True:
            m = regex.search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.time()
            if left <= 0 or self.eof:
                raise Failure("timed out waiting for %r; output after the last match:\n%r"
                              % (pattern, self.out[self.pos:][-3000:]))
            self._pump(min(left, 0.1))

    def prompt(self, status=None):
        m = self.expect(PROMPT)
        if status is not None and int(m.group(1)) != status:
            raise Failure("prompt shows status %s, expected %d" % (m.group(1), status))
        return m

    def run(self, line, output=None, status=0):
        """Types a command line; waits for its output (regex) and the prompt."""
        self.send(line + "\r")
        if output is not None:
            self.expect(b"\r\n" + output)
        self.prompt(status)

    def exit_status(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(st)
            self._pump(0.05)
        raise Failure("the shell did not exit")

    def kill(self):
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def case(name, cols=400):
    """Decorator: runs the function as one named check with a fresh home."""
    def wrap(fn):
        global checks, failures
        checks += 1
        home = os.path.join(TMP, "home-" + name)
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(home)
        sh = Shell(home, home, cols)
        try:
            sh.prompt(0)
            fn(sh)
        except Failure as e:
            failures += 1
            print("FAIL: %s: %s" % (name, e))
        finally:
            sh.kill()
        return fn
    return wrap


LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"


@case("prompt_shows_cwd_and_last_status")
def _(sh):
    sh.run("cd /")
    sh.send("false\r")
    m = sh.prompt(1)
    if m.group(0).lstrip(b"\r\n") != b"futsh:/ [1]$ ":
        raise Failure("prompt is %r" % m.group(0))
    sh.send("echo $?\r")
    sh.expect(b"\r\n1\r\n\rfutsh:/ \\[0\\]\\$ ")


@case("left_right_insert_in_the_middle")
def _(sh):
    sh.run("echo hel" + LEFT + LEFT + "XY" + RIGHT + "Z", b"hXYeZl\r\n")


@case("home_end_and_ctrl_a_ctrl_e")
def _(sh):
    sh.run("cho a" + HOME + "e" + END + "b", b"ab\r\n")
    sh.run("cho c\x01e\x05d", b"cd\r\n")


@case("prompt_and_long_line_fit_a_narrow_terminal", cols=60)
def _(sh):
    """A prompt wider than half the terminal loses its middle; a line wider
    than the terminal scrolls; editing works all the same."""
    sh.run("mkdir -p " + "d" * 50 + " && cd " + "d" * 50)
    sh.send("echo " + "x" * 100 + HOME + "\x06" * 5 + "Y\r")
    sh.expect(b"\r\nYx{100}\r\n")
    m = sh.prompt(0)
    shown = m.group(0).lstrip(b"\r\n")
    if b"..." not in shown or len(shown) > 30 or not shown.endswith(b"dd [0]$ "):
        raise Failure("prompt shown as %r" % shown)


@case("backspace_delete_ctrl_u_ctrl_w_ctrl_k")
def _(sh):
    sh.run("echo abcc\x7f", b"abc\r\n")
    sh.run("echo xabc" + LEFT * 4 + DELETE, b"abc\r\n")
    sh.run("garbage text\x15echo kept", b"kept\r\n")
    sh.run("echo one two\x17three", b"one three\r\n")
    sh.run("echo keep drop" + LEFT * 5 + "\x0b", b"keep\r\n")


@case("ctrl_c_cancels_the_line")
def _(sh):
    sh.send("echo never")
    sh.send("\x03")
    sh.prompt(130)
    sh.run("echo after", b"after\r\n")
    if b"never\r\n" in sh.out:
        raise Failure("the cancelled line ran")


@case("up_down_walk_the_history")
def _(sh):
    sh.run("echo first", b"first\r\n")
    sh.run("echo second", b"second\r\n")
    sh.run(UP + UP, b"first\r\n")
    sh.run(UP + UP + UP + DOWN, b"second\r\n")
    sh.send("echo draft" + UP + DOWN + "\r")
    sh.expect(b"\r\ndraft\r\n")
    sh.prompt(0)
    sh.send("history\r")
    sh.expect(b"1  echo first\r\n")
    sh.prompt(0)


@case("history_persists_in_the_history_file")
def _(sh):
    sh.run("echo remembered-command", b"remembered-command\r\n")
    sh.send("exit\r")
    sh.exit_status()
    with open(os.path.join(sh.home, ".futsh_history")) as f:
        if "echo remembered-command\n" not in f.read():
            raise Failure("history file lacks the command")
    again = Shell(sh.home, sh.home)
    try:
        again.prompt(0)
        again.run(UP + UP, b"remembered-command\r\n")  # UP alone: "exit"
    finally:
        again.kill()


@case("tab_completes_builtins_programs_and_paths")
def _(sh):
    os.makedirs(os.path.join(sh.home, "subdir"))
    for name in ("file-one.txt", "alpha1", "alpha2"):
        open(os.path.join(sh.home, name), "w").write(name + "\n")
    sh.run("ech\t done", b"done\r\n")              # builtin
    sh.run("hea\t -n 1 file-o\t", b"file-one.txt\r\n")  # program in PATH, then a file
    sh.send("cd sub\t")
    sh.expect(b"cd subdir/")
    sh.send("\r")
    sh.prompt(0)
    sh.run("cd ..")
    sh.send("cat alph\t")                          # two candidates: common prefix
    sh.expect(b"cat alpha\x1b")
    sh.send("\t")                                  # no progress: listed
    sh.expect(b"\r\nalpha1  +alpha2")
    sh.send("2\r")
    sh.expect(b"\r\nalpha2\r\n")
    sh.prompt(0)


@case("multiline_command_gets_continuation_prompt")
def _(sh):
    sh.send("if true\r")
    sh.expect(b"\r\n\r?> ")
    sh.send("then echo yes; fi\r")
    sh.expect(b"\r\nyes\r\n")
    sh.prompt(0)


@case("here_document_typed_at_the_prompt")
def _(sh):
    sh.send("cat <<END\r")
    sh.expect(b"\r\n\r?> ")
    sh.send("typed body\r")
    sh.expect(b"\r\n\r?> ")
    sh.send("END\r")
    sh.expect(b"\r\ntyped body\r\n")
    sh.prompt(0)


@case("unbalanced_quote_is_an_error_and_the_prompt_returns")
def _(sh):
    sh.send('echo "abc\r')
    sh.expect(b"unterminated double quote")
    sh.prompt(2)
    sh.run("echo fine", b"fine\r\n")


@case("binary_bytes_and_control_keys_do_not_break_the_editor")
def _(sh):
    sh.send(b"echo \x0f\x11\x12\x13\x14\x16\x18\x19\x1c\x1d\x1e\x1f\x1b[Zab\xff\xfec\r")
    sh.expect(b"\r\nab\xff\xfec\r\n")
    sh.prompt(0)
    sh.send(bytes(range(1, 32)).replace(b"\r", b"").replace(b"\n", b"").replace(b"\x03", b"")
            .replace(b"\x04", b"").replace(b"\x1a", b"") + b"\x15echo ok\r")
    sh.expect(b"\r\nok\r\n")
    sh.prompt(0)


@case("line_of_64k_typed_at_the_terminal")
def _(sh):
    word = "y" * 65536
    sh.send("v=" + word + "; echo ${#v}\r")
    sh.expect(b"\r\n65536\r\n", timeout=60)
    sh.prompt(0)


@case("ctrl_d_on_empty_line_exits_with_last_status")
def _(sh):
    sh.run("false", status=1)
    sh.send("\x04")
    st = sh.exit_status()
    if st != 1:
        raise Failure("exit status %d" % st)


@case("ctrl_c_interrupts_foreground_sleep")
def _(sh):
    sh.send("sleep 100\r")
    time.sleep(0.3)
    sh.send("\x03")
    sh.prompt(130)
    sh.run("echo alive", b"alive\r\n")


@case("ctrl_c_interrupts_a_foreground_loop")
def _(sh):
    sh.send("while true; do sleep 1; done\r")
    time.sleep(0.3)
    sh.send("\x03")
    sh.prompt(130)


@case("ctrl_z_stops_then_jobs_bg_fg")
def _(sh):
    sh.send("sleep 100\r")
    time.sleep(0.3)
    sh.send("\x1a")
    sh.expect(b"\\[1\\]\\+  Stopped +sleep 100\r\n")
    sh.prompt(148)
    sh.run("jobs", b"\\[1\\]\\+  Stopped +sleep 100\r\n")
    sh.run("bg", b"\\[1\\]\\+ sleep 100 &\r\n")
    sh.run("jobs", b"\\[1\\]\\+  Running +sleep 100 &\r\n")
    sh.send("fg\r")
    sh.expect(b"\r\nsleep 100\r\n")
    time.sleep(0.3)
    sh.send("\x03")
    sh.prompt(130)
    sh.run("jobs")
    if b"sleep 100" in sh.out[sh.pos - 200:]:
        raise Failure("the job is still listed")


@case("background_job_reports_pid_and_done")
def _(sh):
    sh.send("sleep 0.2 &\r")
    m = sh.expect(b"\r\n\\[1\\] (\\d+)\r\n")
    sh.prompt(0)
    time.sleep(0.5)
    sh.send("\r")
    sh.expect(b"\\[1\\]\\+  Done +sleep 0.2\r\n")
    sh.prompt(0)
    sh.run("echo $!", m.group(1) + b"\r\n")


@case("background_reader_is_stopped_by_the_terminal_then_fg_gives_it_input")
def _(sh):
    sh.send("cat &\r")
    sh.expect(b"\\[1\\] \\d+\r\n")
    # cat reads the terminal and is stopped; the notice comes at this prompt
    # or at the next one.
    sh.send("sleep 0.5\r")
    sh.expect(b"\\[1\\]\\+  Stopped +cat\r\n")
    sh.prompt(0)
    sh.send("fg %1\r")
    sh.expect(b"\r\ncat\r\n")
    sh.send("typed-to-cat\r")
    sh.expect(b"typed-to-cat\r\ntyped-to-cat\r\n")
    sh.send("\x04")
    sh.prompt(0)


@case("kill_a_stopped_job_by_number")
def _(sh):
    sh.send("sleep 100\r")
    time.sleep(0.3)
    sh.send("\x1a")
    sh.prompt(148)
    sh.send("kill %1\r")
    sh.send("sleep 0.3\r")  # the notification comes at one of the next prompts
    sh.expect(b"\\[1\\]\\+  Terminated +sleep 100\r\n")
    sh.prompt(0)


@case("pipeline_is_one_job")
def _(sh):
    sh.send("sleep 100 | cat\r")
    time.sleep(0.3)
    sh.send("\x1a")
    sh.expect(b"\\[1\\]\\+  Stopped +sleep 100 \\| cat\r\n")
    sh.prompt()
    sh.send("fg\r")
    time.sleep(0.3)
    sh.send("\x03")
    sh.prompt(130)


@case("wait_does_not_hang_on_a_stopped_job")
def _(sh):
    sh.send("sleep 100\r")
    time.sleep(0.3)
    sh.send("\x1a")
    sh.prompt(148)
    sh.run("wait; echo waited-all", b"waited-all\r\n")
    sh.run("wait %1; echo $?", b"148\r\n")
    sh.run("kill -9 %1")


@case("exit_warns_once_about_stopped_jobs")
def _(sh):
    sh.send("sleep 100\r")
    time.sleep(0.3)
    sh.send("\x1a")
    sh.prompt(148)
    sh.send("exit\r")
    sh.expect(b"stopped jobs")
    sh.prompt(1)
    sh.send("kill -9 %1\r")
    sh.prompt(0)
    sh.send("exit\r")
    sh.exit_status()


print("pty_test: %d checks, %d failed: %s" % (checks, failures, "FAIL" if failures else "PASS"))
sys.exit(1 if failures else 0)
