#!/usr/bin/env bash
# Installs and starts the real services that the tests use: PostgreSQL, Redis, Debian's Chromium (driven by
# Playwright, which never downloads a browser of its own) and axe-core (injected into pages by the browser tests).
# Usage: scripts/services.sh install|postgres|redis|chromium|axe
#   install   Debian packages (apt-get update only when one is missing) and axe-core from npm into .cache/node/
#   postgres  starts a cluster, creates the role socle (CREATEDB) and its database, prints the URL
#   redis     starts a redis-server on 127.0.0.1 if none answers, prints the URL
#   chromium  prints the path of Chromium once it has run
#   axe       prints the absolute path of axe.min.js
# Each command but install prints exactly one line on stdout, everything else goes to stderr. Run again when
# everything is there, a command only checks (chromium, which opens a page, takes under a second; the others
# a tenth). Exit 2, with what to do, when something cannot be installed or started.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.cache"

APT_PACKAGES=(postgresql redis-server chromium chromium-driver)
# Pinned so that the accessibility findings do not change under the tests when axe-core adds rules.
AXE_VERSION=4.14.1
AXE_JS="$CACHE/node/node_modules/axe-core/axe.min.js"
CHROMIUM=/usr/bin/chromium
REDIS_PORT=6379

say() { echo "$*" >&2; }
fail() {
    echo "services.sh : $*" >&2
    exit 2
}

# The apt and PostgreSQL commands need root; a developer who is not root may have sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        fail "il faut être root (ou avoir sudo) pour : $*"
    fi
}

as_user() {
    local user=$1
    shift
    # From /: psql warns when it cannot enter a working directory that the user may not read.
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$user" -- "$@")
    elif command -v sudo >/dev/null 2>&1; then
        (cd / && sudo -u "$user" -- "$@")
    else
        fail "il faut être root (ou avoir sudo) pour agir en tant que $user"
    fi
}

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

label() {
    case $1 in
        postgresql) echo PostgreSQL ;;
        redis-server) echo Redis ;;
        chromium) echo Chromium ;;
        chromium-driver) echo chromedriver ;;
        *) echo "$1" ;;
    esac
}

# Polls "$@" every 0.2 s for at most $1 seconds.
wait_for() {
    local seconds=$1 i
    shift
    for ((i = 0; i < seconds * 5; i++)); do
        if "$@"; then return 0; fi
        sleep 0.2
    done
    return 1
}

cmd_install() {
    local missing=() labels="" pkg log="$CACHE/apt.log"
    for pkg in "${APT_PACKAGES[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if ((${#missing[@]})); then
        for pkg in "${missing[@]}"; do labels+="${labels:+, }$(label "$pkg")"; done
        say "installation de $labels (paquets Debian, quelques minutes la première fois)…"
        : >"$log"
        if ! as_root apt-get update >>"$log" 2>&1 9>&-; then
            tail -n 20 "$log" >&2
            fail "apt-get update a échoué (journal : $log) : vérifiez l'accès au dépôt Debian puis relancez « scripts/services.sh install »."
        fi
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            "${missing[@]}" >>"$log" 2>&1 9>&-; then
            tail -n 20 "$log" >&2
            fail "impossible d'installer ${missing[*]} (journal : $log) : corrigez l'erreur d'apt ci-dessus puis relancez « scripts/services.sh install »."
        fi
    fi
    install_axe
}

install_axe() {
    local manifest="$CACHE/node/node_modules/axe-core/package.json" have=""
    if [ -f "$AXE_JS" ] && [ -f "$manifest" ]; then
        have=$(sed -n '/"version"/{s/.*"version": *"\([^"]*\)".*/\1/p;q}' "$manifest")
    fi
    [ "$have" = "$AXE_VERSION" ] && return 0
    command -v npm >/dev/null 2>&1 || fail "npm est absent : installez le paquet Debian npm (apt-get install npm) puis relancez."
    say "installation d'axe-core $AXE_VERSION…"
    mkdir -p "$CACHE/node"
    if ! npm install --prefix "$CACHE/node" --save-exact --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE_VERSION" >&2; then
        fail "npm n'a pas pu installer axe-core@$AXE_VERSION : vérifiez l'accès au registre npm puis relancez « scripts/services.sh install »."
    fi
    [ -f "$AXE_JS" ] || fail "axe-core est installé mais $AXE_JS manque : supprimez $CACHE/node puis relancez."
}

# One line of pg_lsclusters: an online cluster if there is one, else the main cluster of the newest version,
# else the newest cluster.
pick_cluster() {
    pg_lsclusters --no-header | sort -k1,1V -k2,2 | awk '
        $4 ~ /^online/ { online = $0 }
        $2 == "main" { main = $0 }
        { last = $0 }
        END { if (online != "") print online; else if (main != "") print main; else print last }'
}

cmd_postgres() {
    command -v pg_lsclusters >/dev/null 2>&1 \
        || fail "PostgreSQL n'est pas installé : lancez « scripts/services.sh install »."
    local line version name port status owner
    line=$(pick_cluster)
    if [ -z "$line" ]; then
        version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
        [ -n "$version" ] || fail "aucun serveur PostgreSQL dans /usr/lib/postgresql : lancez « scripts/services.sh install »."
        say "création du cluster PostgreSQL $version/main…"
        as_root pg_createcluster "$version" main >&2 9>&- \
            || fail "pg_createcluster $version main a échoué : voir le message ci-dessus."
        line=$(pick_cluster)
    fi
    read -r version name port status owner _ <<<"$line"
    local log="/var/log/postgresql/postgresql-$version-$name.log"
    if [[ $status != online* ]]; then
        say "démarrage de PostgreSQL $version/$name (port $port)…"
        as_root pg_ctlcluster "$version" "$name" start >&2 9>&- \
            || fail "PostgreSQL $version/$name ne démarre pas : voir son journal $log."
    fi
    wait_for 15 pg_isready -q -h 127.0.0.1 -p "$port" \
        || fail "PostgreSQL $version/$name ne répond pas sur 127.0.0.1:$port : vérifiez listen_addresses dans /etc/postgresql/$version/$name/postgresql.conf et son journal $log."
    # The role's attributes and password are set again on each run, so that the printed URL always works.
    as_user "$owner" psql --cluster "$version/$name" -X -q -v ON_ERROR_STOP=1 -d postgres >&2 <<'SQL' \
        || fail "impossible de créer le rôle ou la base socle dans PostgreSQL $version/$name : voir le message ci-dessus."
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'socle') THEN
        CREATE ROLE socle LOGIN CREATEDB PASSWORD 'socle';
    ELSE
        ALTER ROLE socle LOGIN CREATEDB PASSWORD 'socle';
    END IF;
END
$$;
SELECT 'CREATE DATABASE socle OWNER socle' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'socle')
\gexec
SQL
    echo "postgresql://socle:socle@127.0.0.1:$port/socle"
}

redis_answers() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

cmd_redis() {
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        fail "Redis n'est pas installé : lancez « scripts/services.sh install »."
    fi
    if ! redis_answers; then
        local dir="$CACHE/redis"
        mkdir -p "$dir"
        say "démarrage de Redis sur 127.0.0.1:$REDIS_PORT…"
        # Nothing is saved: the tests' queues need no persistence.
        redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
            --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >&2 9>&- \
            || fail "redis-server ne démarre pas : voir le message ci-dessus."
        wait_for 10 redis_answers \
            || fail "Redis ne répond pas sur 127.0.0.1:$REDIS_PORT (le port est-il pris par un autre programme ?) : voir $dir/redis.log."
    fi
    echo "redis://127.0.0.1:$REDIS_PORT/0"
}

cmd_chromium() {
    [ -x "$CHROMIUM" ] || fail "Chromium est absent ($CHROMIUM) : lancez « scripts/services.sh install »."
    # A page is opened, not only --version (which proves little: it starts no browser). --no-sandbox:
    # Chromium refuses to run as root with its sandbox, and the tests run as root in CI.
    timeout 30 "$CHROMIUM" --headless --no-sandbox --dump-dom about:blank >/dev/null 2>&1 \
        || fail "Chromium ($CHROMIUM) ne démarre pas : lancez « $CHROMIUM --headless --no-sandbox --dump-dom about:blank » pour voir l'erreur, puis « scripts/services.sh install »."
    echo "$CHROMIUM"
}

cmd_axe() {
    [ -f "$AXE_JS" ] || fail "axe-core est absent ($AXE_JS) : lancez « scripts/services.sh install »."
    echo "$AXE_JS"
}

usage() {
    fail "usage : scripts/services.sh install|postgres|redis|chromium|axe"
}

[ $# -eq 1 ] || usage
mkdir -p "$CACHE"
# Two test processes starting the same service at once would race: one at a time. Every command that may
# start a daemon (apt's maintainer scripts, pg_ctlcluster, redis-server) gets "9>&-", else the daemon
# inherits the descriptor and holds the lock for as long as it lives.
exec 9>"$CACHE/services.lock"
flock 9
case $1 in
    install) cmd_install ;;
    postgres) cmd_postgres ;;
    redis) cmd_redis ;;
    chromium) cmd_chromium ;;
    axe) cmd_axe ;;
    *) usage ;;
esac
