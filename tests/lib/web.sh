# web.sh - start and stop 'asbreg serve' for the end-to-end tests (tests/e2e/web.sh), the
# browser journeys (tests/browser) and 'make web'.  POSIX sh; source it (needs ASBREG).
#
#   web_pki DIR                 a development CA and a server certificate for localhost
#                               (tools/devpki DIR --issue web --cn localhost --server)
#   web_start REGDIR PKI [OPTION...]
#                               asbreg serve -d REGDIR on 127.0.0.1, a free port, OPTIONs
#                               passed on; returns once GET /login answers 200
#   web_stop                    SIGTERM; true if it was running and exited 0
#   web_user REGDIR NAME ROLE PASSWORD [totp]
#                               add the user (as the data team "web-admin", made first if
#                               need be), set the password; with totp, enrol a second factor
#                               and set WEB_SECRET to its base32 secret
#
# After web_start: WEB_PID, WEB_PORT, WEB_URL (https://localhost:PORT), WEB_CA, WEB_LOG
# (REGDIR.web.log, the server's stderr).
WEB_PID= WEB_PORT= WEB_URL= WEB_CA= WEB_LOG= WEB_SECRET=
WEB_ROOT=$(cd "$(dirname "${0:-.}")/../.." 2>/dev/null && pwd)
[ -x "${WEB_ROOT:-.}/tools/devpki" ] || WEB_ROOT=$(pwd)

web_pki() {
	"$WEB_ROOT/tools/devpki" "$1" --issue web --cn localhost --server >/dev/null ||
		{ echo "web.sh: tools/devpki failed" >&2; return 1; }
}

web_start() {
	: "${ASBREG:?set ASBREG to the asbreg binary}"
	_wd=$1 _wp=$2
	shift 2
	WEB_CA=$_wp/ca.crt WEB_LOG=$_wd.web.log
	rm -f "$_wd.web.port"
	"$ASBREG" -d "$_wd" serve --listen 127.0.0.1:0 --port-file "$_wd.web.port" \
	    --cert "$_wp/web.crt" --key "$_wp/web.key" "$@" 2>>"$WEB_LOG" &
	WEB_PID=$!
	_wi=0
	while [ $_wi -lt 100 ]; do
		if [ -s "$_wd.web.port" ]; then
			WEB_PORT=$(cat "$_wd.web.port")
			WEB_URL=https://localhost:$WEB_PORT
			if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$WEB_CA" \
			    "$WEB_URL/login")" = 200 ]; then
				return 0
			fi
		fi
		proc_live "$WEB_PID" || { echo "web.sh: asbreg serve exited: $(tail -3 "$WEB_LOG")" >&2
			return 1; }
		sleep 0.1
		_wi=$((_wi + 1))
	done
	echo "web.sh: asbreg serve did not answer in 10 s" >&2
	return 1
}

web_stop() {
	[ -n "$WEB_PID" ] || return 1
	proc_live "$WEB_PID" || { echo "web.sh: asbreg serve was not running" >&2; return 1; }
	kill "$WEB_PID"
	_ws=0
	wait "$WEB_PID" || _ws=$?
	WEB_PID=
	[ "$_ws" -eq 0 ] || { echo "web.sh: asbreg serve exited $_ws" >&2; return 1; }
}

web_cleanup() {
	if [ -n "$WEB_PID" ] && proc_live "$WEB_PID"; then kill "$WEB_PID" 2>/dev/null; fi
}

web_user() {
	_wd=$1 _wn=$2 _wr=$3 _wpw=$4
	if ! ASB_USER=web-admin "$ASBREG" -d "$_wd" user list 2>/dev/null | grep -q '^web-admin '; then
		ASB_USER=web-admin "$ASBREG" -d "$_wd" user add web-admin --role data-team \
		    >/dev/null || return 1
	fi
	ASB_USER=web-admin "$ASBREG" -d "$_wd" user add "$_wn" --role "$_wr" >/dev/null || return 1
	printf '%s\n' "$_wpw" | ASB_USER=web-admin "$ASBREG" -d "$_wd" user passwd "$_wn" ||
		return 1
	if [ "${5:-}" = totp ]; then
		_wu=$(ASB_USER=web-admin "$ASBREG" -d "$_wd" user totp "$_wn") || return 1
		WEB_SECRET=$(printf '%s\n' "$_wu" | sed -n 's/.*[?&]secret=\([A-Z2-7]*\).*/\1/p')
		[ -n "$WEB_SECRET" ] || { echo "web.sh: no secret in '$_wu'" >&2; return 1; }
	fi
}
