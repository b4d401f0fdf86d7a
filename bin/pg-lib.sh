# shellcheck shell=bash
# A throwaway PostgreSQL cluster on 127.0.0.1, for tests and local development only.
# Sourced by bin/pg-dev and .ci/run; nothing here runs on its own.
#
#   pg_cluster_start ROOT PORT   initdb ROOT/data (once) and start it; sets PG_DATABASE_URL
#   pg_cluster_stop ROOT         stop it (fast shutdown) if it is running
#   pg_cluster_running ROOT      exit 0 when it is running
#   pg_free_port                 print a free TCP port on 127.0.0.1
#
# Layout of ROOT: data/ (the cluster), postgres.log, password (of the superuser role
# `kakehashi`, random, made at initdb). Locale C.UTF-8: with the C locale pg_trgm makes no
# trigrams from Japanese text. Durability is switched off (fsync, full_page_writes): the data is
# disposable. Run as root, the server runs as the `postgres` user, which then owns ROOT.

PG_ROLE="${PG_ROLE:-kakehashi}"
PG_DBNAME="${PG_DBNAME:-kakehashi}"

pg_bin_dir() {
	local dir
	if [[ -n "${PG_BIN:-}" ]]; then
		echo "$PG_BIN"
		return
	fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [[ -x "$dir/initdb" ]]; then
			echo "$dir"
			return
		fi
	done
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return
	fi
	echo "pg-lib: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
	return 1
}

# Run a server-side command as the owner of the cluster: `postgres` when we are root.
_pg_as_owner() {
	local root="$1"
	shift
	if [[ "$(id -u)" == 0 ]]; then
		(cd "$root" && runuser -u postgres -- "$@")
	else
		(cd "$root" && "$@")
	fi
}

pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_cluster_running() {
	local root="$1" bin
	bin="$(pg_bin_dir)" || return 1
	[[ -f "$root/data/PG_VERSION" ]] && _pg_as_owner "$root" "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1
}

pg_cluster_init() {
	local root="$1" bin pwfile
	bin="$(pg_bin_dir)"
	[[ -f "$root/data/PG_VERSION" ]] && return 0
	mkdir -p "$root"
	if [[ ! -s "$root/password" ]]; then
		python3 -c 'import secrets; print(secrets.token_hex(16))' >"$root/password"
	fi
	chmod 600 "$root/password"
	if [[ "$(id -u)" == 0 ]]; then
		if ! id postgres >/dev/null 2>&1; then
			echo "pg-lib: running as root needs the 'postgres' user (apt-get install postgresql)" >&2
			return 1
		fi
		chown -R postgres:postgres "$root"
		if ! runuser -u postgres -- test -w "$root"; then
			echo "pg-lib: the postgres user cannot reach $root (a parent folder is closed); choose another folder" >&2
			return 1
		fi
	fi
	pwfile="$root/password"
	_pg_as_owner "$root" "$bin/initdb" -D "$root/data" -U "$PG_ROLE" --pwfile="$pwfile" \
		--auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 || {
		cat "$root/initdb.log" >&2
		return 1
	}
	cat >>"$root/data/postgresql.conf" <<-'EOF'

		# Throwaway cluster for tests (bin/pg-lib.sh): loopback only, no socket, no durability.
		listen_addresses = '127.0.0.1'
		unix_socket_directories = ''
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 50
	EOF
}

# pg_cluster_start ROOT PORT: sets PG_DATABASE_URL (postgres://kakehashi:…@127.0.0.1:PORT/kakehashi).
pg_cluster_start() {
	local root="$1" port="$2" bin password
	bin="$(pg_bin_dir)"
	pg_cluster_init "$root"
	if ! pg_cluster_running "$root"; then
		_pg_as_owner "$root" "$bin/pg_ctl" -D "$root/data" -l "$root/postgres.log" -o "-p $port" -w -t 60 start >/dev/null || {
			tail -n 30 "$root/postgres.log" >&2
			return 1
		}
	fi
	port="$(sed -n 4p "$root/data/postmaster.pid")"
	password="$(cat "$root/password")"
	if ! PGPASSWORD="$password" "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d postgres -tA \
		-c "SELECT 1 FROM pg_database WHERE datname = '$PG_DBNAME'" | grep -q 1; then
		PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$PG_ROLE" "$PG_DBNAME"
	fi
	PG_DATABASE_URL="postgres://$PG_ROLE:$password@127.0.0.1:$port/$PG_DBNAME"
	export PG_DATABASE_URL
}

pg_cluster_stop() {
	local root="$1" bin
	bin="$(pg_bin_dir)" || return 0
	if pg_cluster_running "$root"; then
		_pg_as_owner "$root" "$bin/pg_ctl" -D "$root/data" -m fast -w -t 60 stop >/dev/null
	fi
}

# pg_cluster_psql ROOT ARGS…: psql into the cluster's database as the superuser role.
pg_cluster_psql() {
	local root="$1" bin port
	shift
	bin="$(pg_bin_dir)"
	port="$(sed -n 4p "$root/data/postmaster.pid")"
	PGPASSWORD="$(cat "$root/password")" "$bin/psql" -X -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d "$PG_DBNAME" "$@"
}
