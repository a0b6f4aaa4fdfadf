# Sourced by the install scripts: installs Debian packages when this user may (root, or passwordless
# sudo), so that both scripts decide and install the same way.
#
# apt_install [apt-get install options] PKG...
#   returns 0 once the packages are installed, 1 when apt-get failed (its messages are on stderr), and 2
#   when this user may not install packages (the caller then says which tests need them and how to get them).
apt_install() {
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 2; fi
  fi
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q >&2 || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@" >&2 ||
    return 1
}
