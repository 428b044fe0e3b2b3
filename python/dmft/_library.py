"""Finding libdmft and declaring the C functions the package calls (dmft/command.h, dmft/solver.h)."""

import ctypes
import ctypes.util
import os
import subprocess


def _candidates():
    """Where libdmft.so may be, in the order tried."""
    explicit = os.environ.get("DMFT_LIBRARY")
    if explicit:
        # Named explicitly: nothing else is tried, so a wrong path is an error, not a surprise.
        return [explicit]
    found = []
    # Installed together (scripts/install.sh): PREFIX/lib/pythonX.Y/site-packages/dmft beside
    # PREFIX/lib/libdmft.so, the library of the same installation.
    package = os.path.dirname(os.path.abspath(__file__))
    found.append(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(package))), "libdmft.so"))
    try:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "dmft"], capture_output=True, text=True,
                                check=True).stdout.strip()
        if libdir:
            found.append(os.path.join(libdir, "libdmft.so"))
    except (OSError, subprocess.CalledProcessError):
        pass
    by_linker = ctypes.util.find_library("dmft")  # installed and known to ldconfig
    if by_linker:
        found.append(by_linker)
    found += ["/usr/local/lib/libdmft.so", "/usr/local/lib/x86_64-linux-gnu/libdmft.so"]
    return found


def _load():
    tried = []
    for path in _candidates():
        if os.path.isabs(path) and not os.path.exists(path) and "DMFT_LIBRARY" not in os.environ:
            continue
        try:
            library = ctypes.CDLL(path)
        except OSError as error:
            tried.append(f"{path} ({error})")
            continue
        return library, path
    raise ImportError("dmft: cannot load libdmft.so (tried: " + "; ".join(tried) + "); set DMFT_LIBRARY to the shared "
                      "library of a build (build/lib/libdmft.so) or install it (cmake --install build)")


def _declare(library):
    c_double_p = ctypes.POINTER(ctypes.c_double)
    c_long_4 = ctypes.c_long * 4
    signatures = {
        "dmft_version": (ctypes.c_char_p, []),
        "dmft_command_create": (ctypes.c_void_p, []),
        "dmft_command_set_write_files": (None, [ctypes.c_void_p, ctypes.c_int]),
        "dmft_command_run": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]),
        "dmft_command_interrupt": (None, [ctypes.c_void_p]),
        "dmft_command_message": (ctypes.c_char_p, [ctypes.c_void_p]),
        "dmft_command_result": (ctypes.c_void_p, [ctypes.c_void_p]),
        "dmft_command_problem": (ctypes.c_void_p, [ctypes.c_void_p]),
        "dmft_problem_epochs_at": (ctypes.c_double, [ctypes.c_void_p, ctypes.c_double]),
        "dmft_command_number": (ctypes.c_double, [ctypes.c_void_p, ctypes.c_char_p]),
        "dmft_command_text": (ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_char_p]),
        "dmft_command_free": (None, [ctypes.POINTER(ctypes.c_void_p)]),
        "dmft_result_array": (c_double_p, [ctypes.c_void_p, ctypes.c_char_p, c_long_4, ctypes.POINTER(ctypes.c_int)]),
        "dmft_result_number": (ctypes.c_double, [ctypes.c_void_p, ctypes.c_char_p]),
        "dmft_result_text": (ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_char_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes


library, library_path = _load()
_declare(library)
library_version = library.dmft_version().decode()


def _check_installed_version():
    """An installed package (pip install ./python) carries the version of the tree it came from
    (setup.py reads it from CMakeLists.txt, its one place) and must drive a library of the same
    version. A source-tree copy (PYTHONPATH=python) has no installed version of its own."""
    import importlib.metadata
    try:
        distribution = importlib.metadata.distribution("dmft")
    except importlib.metadata.PackageNotFoundError:
        return
    here = os.path.realpath(os.path.join(os.path.dirname(__file__), "__init__.py"))
    if os.path.realpath(str(distribution.locate_file("dmft/__init__.py"))) != here:
        return  # the installed copy is not the one being imported
    if distribution.version != library_version:
        raise ImportError(f"dmft: this Python package is version {distribution.version} but {library_path} is libdmft "
                          f"{library_version}; use the library of the same release")


_check_installed_version()
