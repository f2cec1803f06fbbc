# hub.sh - one way to set up, start and stop asbhub for the end-to-end tests (tests/e2e), the
# demo (tools/national.sh), the benchmarks (bench/hub, bench/report) and the fuzz set-up
# (fuzz/run.sh).  POSIX sh; source it (hub_init and hub_start need ASBHUB).  One hub at a
# time per script:
#
#   hub_init DIR PKI [FORCE...]   asbhub init in DIR from a tools/devpki directory, and
#                                 'force add' each FORCE with its signing certificate
#   hub_start DIR [PORT [OPTION...]]
#                                 asbhub serve -d DIR on 127.0.0.1:PORT (0 or none: a free
#                                 port), OPTIONs passed on; returns once it answers
#                                 GET /v1/health over mutual TLS
#   hub_stop                      SIGTERM, then checks it was running, exits 0 and is gone
#   hub_kill9                     kill -9; true only if it was still running
#   hub_cleanup                   for EXIT traps: stops a hub left running, quietly
#
# After hub_start: HUB_PID, HUB_PORT, HUB_URL (https://localhost:PORT).  Files next to DIR:
# DIR.port (the port file), DIR.pid (the last hub started there; left when it stops, so a
# caller can check it is gone) and DIR.log (the service's stderr, appended; HUB_LOG
# overrides).  The readiness check uses HUB_CA and HUB_CLIENT (a devpki force directory with
# tls.crt and tls.key), which hub_init sets; without them hub_start waits for the port only.
# Each function that fails says why on stderr ("hub.sh: ...") and returns non-zero.
#
# Process checks, for these and for the crash tests: a pid that has exited but not been
# waited for is a zombie, and 'kill -0' and 'kill' still succeed on it, so neither says
# whether a process was running.  These read /proc and the status 'wait' gives instead.
#   proc_live PID                 true while PID runs (not exited, not a zombie)
#   kill9 PID                     kill -9 a child; true only if it was still running

# proc_live PID: true while PID is a process that has not exited (not a zombie, not gone).
proc_live() {
	_pl=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	case $_pl in
	'' | Z* | X*) return 1 ;;
	*) return 0 ;;
	esac
}

# kill9 PID: kill -9 a child of this shell and wait for it.  True only if the signal ended a
# process that was still running: 'wait' then gives 137 (128 + SIGKILL).  A process that had
# exited before the signal landed gives its own status, and kill9 is false.
# KILL9_STATUS holds the status 'wait' gave.
kill9() {
	kill -9 "$1" 2>/dev/null || :
	KILL9_STATUS=0
	wait "$1" 2>/dev/null || KILL9_STATUS=$?
	[ "$KILL9_STATUS" -eq 137 ]
}

HUB_PID= HUB_PORT= HUB_URL= HUB_DIR= HUB_CA= HUB_CLIENT= HUB_LOG=

hub_init() {
	: "${ASBHUB:?set ASBHUB to the asbhub binary}"
	_hd=$1 _pki=$2
	shift 2
	if ! _ho=$("$ASBHUB" init -d "$_hd" --ca "$_pki/ca.crt" --cert "$_pki/hub/tls.crt" \
	    --key "$_pki/hub/tls.key" --sign-cert "$_pki/hub/sign.crt" \
	    --sign-key "$_pki/hub/sign.key" 2>&1); then
		echo "hub.sh: asbhub init -d $_hd failed: $_ho" >&2
		return 1
	fi
	HUB_CA=$_pki/ca.crt
	for _f in "$@"; do
		if ! _ho=$("$ASBHUB" force add "$_f" --cert "$_pki/forces/$_f/sign.crt" -d "$_hd" 2>&1); then
			echo "hub.sh: asbhub force add $_f failed: $_ho" >&2
			return 1
		fi
		[ -n "${HUB_CLIENT:-}" ] || HUB_CLIENT=$_pki/forces/$_f
	done
}

# hub_health: the running hub answers GET /v1/health with "ok".
hub_health() {
	curl -s --max-time 5 --cacert "$HUB_CA" --cert "$HUB_CLIENT/tls.crt" \
	    --key "$HUB_CLIENT/tls.key" "$HUB_URL/v1/health" 2>/dev/null | grep -q '"ok"'
}

hub_start() {
	: "${ASBHUB:?set ASBHUB to the asbhub binary}"
	if [ -n "$HUB_PID" ] && proc_live "$HUB_PID"; then
		echo "hub.sh: a hub is running already (pid $HUB_PID)" >&2
		return 1
	fi
	HUB_DIR=${1%/} _hp=${2:-0}
	shift
	[ $# -eq 0 ] || shift
	_hlog=${HUB_LOG:-$HUB_DIR.log}
	rm -f "$HUB_DIR.port"
	"$ASBHUB" serve -d "$HUB_DIR" --listen "127.0.0.1:$_hp" --port-file "$HUB_DIR.port" "$@" \
	    2>>"$_hlog" &
	HUB_PID=$!
	echo "$HUB_PID" >"$HUB_DIR.pid"
	_hi=0
	while [ ! -s "$HUB_DIR.port" ]; do
		if ! proc_live "$HUB_PID"; then
			_hs=0
			wait "$HUB_PID" || _hs=$?
			echo "hub.sh: asbhub serve -d $HUB_DIR exited ($_hs) before it listened: $(tail -3 "$_hlog")" >&2
			HUB_PID=
			return 1
		fi
		if [ $_hi -ge 1000 ]; then
			echo "hub.sh: asbhub serve -d $HUB_DIR wrote no port in 20 s: $(tail -3 "$_hlog")" >&2
			hub_cleanup
			return 1
		fi
		sleep 0.02
		_hi=$((_hi + 1))
	done
	HUB_PORT=$(cat "$HUB_DIR.port")
	HUB_URL=https://localhost:$HUB_PORT
	[ -n "${HUB_CLIENT:-}" ] && [ -n "${HUB_CA:-}" ] || return 0
	_hi=0
	until hub_health; do
		if ! proc_live "$HUB_PID" || [ $_hi -ge 250 ]; then
			echo "hub.sh: asbhub serve -d $HUB_DIR on port $HUB_PORT does not answer: $(tail -3 "$_hlog")" >&2
			hub_cleanup
			return 1
		fi
		sleep 0.02
		_hi=$((_hi + 1))
	done
}

# hub_gone PID: wait up to 10 s for PID to exit (it is then reaped by the caller's 'wait');
# looks often at first, as a hub with nothing in hand stops within milliseconds
hub_gone() {
	_hi=0
	while proc_live "$1"; do
		[ $_hi -ge 220 ] && return 1
		if [ $_hi -lt 20 ]; then sleep 0.005; else sleep 0.05; fi
		_hi=$((_hi + 1))
	done
}

hub_stop() {
	if [ -z "$HUB_PID" ]; then
		echo "hub.sh: no hub was started to stop" >&2
		return 1
	fi
	_hpid=$HUB_PID
	HUB_PID=
	_hs=0
	if ! proc_live "$_hpid"; then
		wait "$_hpid" || _hs=$?
		echo "hub.sh: the hub (pid $_hpid) had exited already, status $_hs: $(tail -3 "${HUB_LOG:-$HUB_DIR.log}")" >&2
		return 1
	fi
	kill -TERM "$_hpid" 2>/dev/null || :
	if ! hub_gone "$_hpid"; then
		kill -9 "$_hpid" 2>/dev/null || :
		wait "$_hpid" || :
		echo "hub.sh: the hub (pid $_hpid) did not stop in 10 s of SIGTERM" >&2
		return 1
	fi
	wait "$_hpid" || _hs=$?
	if [ "$_hs" -ne 0 ]; then
		echo "hub.sh: the hub (pid $_hpid) exited $_hs on SIGTERM: $(tail -3 "${HUB_LOG:-$HUB_DIR.log}")" >&2
		return 1
	fi
	if [ -e "/proc/$_hpid" ] && proc_live "$_hpid"; then
		echo "hub.sh: pid $_hpid still runs after the hub stopped" >&2
		return 1
	fi
}

hub_kill9() {
	[ -n "$HUB_PID" ] || { echo "hub.sh: no hub was started to kill" >&2; return 1; }
	_hpid=$HUB_PID
	HUB_PID=
	kill9 "$_hpid"
}

hub_cleanup() {
	[ -n "$HUB_PID" ] || return 0
	kill -TERM "$HUB_PID" 2>/dev/null || :
	hub_gone "$HUB_PID" || kill -9 "$HUB_PID" 2>/dev/null || :
	wait "$HUB_PID" 2>/dev/null || :
	HUB_PID=
}
