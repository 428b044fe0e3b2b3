"""Running a dmft command in-process (dmft/command.h): keyword arguments become the command line
the executable would take, refusals become exceptions with the executable's one-line message,
and Ctrl-C stops a solve."""

import ctypes
import numbers
import threading

from ._library import library


class DmftError(Exception):
    """A command that did not complete: `status` is the executable's exit status, `message` its
    one-line message."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


class InvalidInput(DmftError, ValueError):
    """Bad input (exit status 2): an option, a value or a file the command refused; nothing was
    written."""


class Diverged(DmftError):
    """The dynamics diverged (exit status 3); `result` holds the rows before it (or is None)."""

    def __init__(self, message, status, result=None):
        super().__init__(message, status)
        self.result = result


def _text(value):
    """A value as the command line writes it: floats by their shortest exact decimal, so that
    the C parser reads back the very same double."""
    if isinstance(value, bool):
        raise TypeError("a flag takes True or False, not a value")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    if hasattr(value, "tolist"):  # a numpy array
        return _text(value.tolist())
    return str(value)


def arguments(command, options):
    """The executable's arguments for `command` with keyword `options`: `name=value` is
    `--name value` (underscores as dashes), True is a flag, False and None leave an option
    out, a list is comma-separated; `plugin` takes a path or a list of them, `model_param` a
    dict {name: value}, `sweep` a dict {option: values} (a list, or text such as "0.5:2:0.25")."""
    argv = [command]
    for name, value in options.items():
        if value is None or value is False:
            continue
        option = "--" + name.replace("_", "-")
        if name in ("plugin", "plugins"):
            for path in [value] if isinstance(value, str) or not hasattr(value, "__iter__") else value:
                argv += ["--plugin", str(path)]
        elif name in ("model_param", "model_params"):
            for key, parameter in value.items():
                argv += ["--model-param", f"{key}={_text(parameter)}"]
        elif name == "sweep" and isinstance(value, dict):
            for key, values in value.items():
                argv += ["--sweep", f"{key.replace('_', '-')}={_text(values)}"]
        elif value is True:
            argv.append(option)
        else:
            argv += [option, _text(value)]
    return argv


class Command:
    """One dmft_command_t: runs commands, keeps the last one's result until the next."""

    def __init__(self, write_files):
        self.handle = ctypes.c_void_p(library.dmft_command_create())
        if not self.handle:
            raise MemoryError("dmft: cannot create a command")
        library.dmft_command_set_write_files(self.handle, 1 if write_files else 0)

    def __del__(self):
        handle = getattr(self, "handle", None)
        if handle:
            library.dmft_command_free(ctypes.byref(handle))

    def run(self, argv):
        """The exit status. The command runs on a worker thread so that Ctrl-C reaches the main
        thread, which then asks the command to stop (a solve stops at its next step), waits for
        it, and raises KeyboardInterrupt."""
        encoded = [a.encode() for a in argv]
        array = (ctypes.c_char_p * len(encoded))(*encoded)
        outcome = {}
        done = threading.Event()

        def work():
            try:
                outcome["status"] = library.dmft_command_run(self.handle, len(encoded), array)
            finally:
                done.set()

        # Waiting on an Event, not Thread.join: a join cut by KeyboardInterrupt can leave the
        # thread looking finished while it runs on (CPython's Thread._tstate_lock).
        threading.Thread(target=work, name="dmft " + argv[0], daemon=True).start()
        try:
            while not done.wait(0.05):
                pass
        except KeyboardInterrupt:
            library.dmft_command_interrupt(self.handle)
            done.wait()
            # A solve says what it did ("interrupted; nothing written"); another command runs to
            # its end, and its result is not returned: the user asked to stop.
            stopped = outcome.get("status") == 130
            raise KeyboardInterrupt(self.message if stopped else f"dmft {argv[0]}: interrupted") from None
        return outcome["status"]

    @property
    def message(self):
        return library.dmft_command_message(self.handle).decode()

    def number(self, name):
        return library.dmft_command_number(self.handle, name.encode())

    def text(self, name):
        value = library.dmft_command_text(self.handle, name.encode())
        return value.decode() if value is not None else None

    @property
    def result_handle(self):
        return library.dmft_command_result(self.handle)

    def fail(self, status, result=None):
        """The exception for a command that ended with `status` (not 0)."""
        if status == 130:
            return KeyboardInterrupt(self.message)
        if status == 3:
            return Diverged(self.message, status, result)
        if status == 2:
            return InvalidInput(self.message, status)
        return DmftError(self.message or f"dmft {status}", status)
