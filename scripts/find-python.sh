#!/bin/sh
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain how to get one.
# Order: $PYTHON, then python3.13, python3.12, python3.14, python3, then pyenv's versions.
set -u

ok() {  # ok CMD: true when CMD runs and is Python >= 3.12
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

path_of() {
    "$1" -c 'import sys; print(sys.executable)'
}

if [ -n "${PYTHON:-}" ]; then
    if ok "$PYTHON"; then path_of "$PYTHON"; exit 0; fi
    echo "error: PYTHON=$PYTHON is not a working Python 3.12 or newer." >&2
    echo "       Django 6 needs Python >= 3.12. Point PYTHON at one, e.g. make lab PYTHON=/usr/bin/python3.13" >&2
    exit 1
fi

for candidate in python3.13 python3.12 python3.14 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then
        path_of "$candidate"; exit 0
    fi
done

if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for candidate in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -t. -k2,2nr); do
        if ok "$candidate/bin/python3"; then path_of "$candidate/bin/python3"; exit 0; fi
    done
fi

cat >&2 <<'MSG'
error: no Python 3.12 or newer found (Django 6 needs it; tried python3.13, python3.12,
       python3.14, python3 and pyenv's versions).
       Install one, then run the same command again:
         Debian/Ubuntu:  sudo apt install python3.12 python3.12-venv   (or python3.13)
         macOS:          brew install python@3.13
         Windows:        https://www.python.org/downloads/ (use WSL to run make)
         pyenv:          pyenv install 3.13
       Or point at one you have:  make lab PYTHON=/path/to/python3.13
MSG
exit 1
