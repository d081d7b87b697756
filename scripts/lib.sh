# Shared helpers for Ariadne's scripts. Source it; do not run it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s\n' "$*" >&2; }

# as_root runs a command as root: directly when we are root, else via sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

_apt_updated=
# ensure_pkgs installs the Debian packages that are missing, and only those,
# so a second run changes nothing and needs no network.
ensure_pkgs() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	if [ -z "$_apt_updated" ]; then
		as_root apt-get update -qq
		_apt_updated=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# data_dir is where project-local state lives. Postgres runs as its own
# user, which must be able to reach the folder: a checkout under a private
# home directory cannot, so fall back to /var/tmp keyed by the project path.
data_dir() {
	local d="$ROOT/.data"
	if runuser -u postgres -- test -x "$ROOT" 2>/dev/null || [ "$(id -u)" -ne 0 ]; then
		echo "$d"
	else
		echo "/var/tmp/ariadne-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
	fi
}
