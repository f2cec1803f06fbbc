#!/bin/sh
# bench/web: wrk (Debian) against 'asbreg serve' on a register of BENCH_N records (default
# 1,000,000, from bench/register's generator through asbreg's import), signed in as an
# officer with a password and a TOTP code (oathtool): GET /find?q=NAME, GET /subjects/ID and
# GET /due, BENCH_CONNS connections (default 64) for BENCH_SECS seconds each (default 10).
# In the same run, the floor: nginx (Debian) serving the same three pages, saved as static
# files, over HTTPS with the same certificate, to the same wrk.  Prints p50, p99 and
# requests/s of each, the ratio to nginx, the targets (p99 under 20 ms; on the subject page at
# least half nginx's requests/s), and that the audit chain still verifies with one
# consultation logged per page served.  Not a test: it never gates CI.
set -eu
: "${ASBREG:?}" "${REGBENCH:?}"
for t in wrk nginx oathtool curl; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		{ echo "bench/web: $t is missing (make deps)" >&2; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
N=${BENCH_N:-1000000}
CONNS=${BENCH_CONNS:-64}
SECS=${BENCH_SECS:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/webbench.XXXXXX")
NGX_PID=
. "$ROOT/tests/lib/web.sh"
proc_live() { kill -0 "$1" 2>/dev/null; }
trap 'web_cleanup; [ -z "$NGX_PID" ] || kill "$NGX_PID" 2>/dev/null; cp "$W/reg.web.log" "${TMPDIR:-/tmp}/webbench.log" 2>/dev/null; rm -rf "$W"' EXIT
export ASBREG_NOW=2026-11-01T12:00
now() { date +%s.%N; }
echo "bench/web: N=$N, $CONNS connections, $SECS s a page, $(nproc) cores"

t0=$(now)
nice "$REGBENCH" gen "$N" "$W/rows.csv" 2026-Q3 >/dev/null
nice "$REGBENCH" lmdb-import "$W/rows.csv" "$W/reg" >/dev/null
rm -f "$W/rows.csv"
echo "register: $N records imported in $(echo "$(now) - $t0" | bc) s ($(du -sh "$W/reg" | cut -f1))"
unset ASBREG_NOW
R=$W/reg
web_user "$R" pc.bench officer 'bench officer passphrase' totp
web_pki "$W/pki"
web_start "$R" "$W/pki"

# sign in as the officer: the form token from GET /login, then password and code
J=$W/jar
curl -s --cacert "$WEB_CA" -b "$J" -c "$J" -o "$W/login.html" "$WEB_URL/login"
TOK=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$W/login.html" | head -1)
st=$(curl -s --cacert "$WEB_CA" -b "$J" -c "$J" -o /dev/null -w '%{http_code}' \
    --data-urlencode username=pc.bench --data-urlencode 'password=bench officer passphrase' \
    --data-urlencode "code=$(oathtool --totp -b "$WEB_SECRET")" --data-urlencode "csrf=$TOK" \
    "$WEB_URL/login")
[ "$st" = 303 ] || { echo "bench/web: sign-in answered $st" >&2; exit 1; }
COOKIE=$(awk '$6 == "__Host-asb-session" { print $6 "=" $7 }' "$J")
[ -n "$COOKIE" ] || { echo "bench/web: no session cookie" >&2; exit 1; }

# the three pages: a person by name (person N/6 of the generator: given[p%8] family[p/8%8]),
# that person's subject page, and due
P=$((N / 6))
GIVEN=$(echo Alex Sam Jo Chris Jamie Robin Lee Kim | cut -d' ' -f$((P % 8 + 1)))
FAMILY=$(echo Smith Jones Taylor Brown Williams Wilson Evans Thomas | cut -d' ' -f$((P / 8 % 8 + 1)))
FIND="/find?q=$GIVEN+$FAMILY+$P"
get() { curl -s --cacert "$WEB_CA" -H "Cookie: $COOKIE" -o "$2" -w '%{http_code}' "$WEB_URL$1"; }
[ "$(get "$FIND" "$W/find.html")" = 200 ] || { echo "bench/web: GET $FIND failed" >&2; exit 1; }
SUBJ=$(sed -n 's/.*href="\(\/subjects\/[^"]*\)".*/\1/p' "$W/find.html" | head -1)
[ -n "$SUBJ" ] || { echo "bench/web: no subject found by $FIND" >&2; exit 1; }
[ "$(get "$SUBJ" "$W/subject.html")" = 200 ] || { echo "bench/web: GET $SUBJ failed" >&2; exit 1; }
[ "$(get /due "$W/due.html")" = 200 ] || { echo "bench/web: GET /due failed" >&2; exit 1; }
a() { ASB_USER=web-admin "$ASBREG" -d "$R" "$@"; }
before=$(a audit | wc -l)

# the floor: nginx, two workers (one a core), the same pages as files, the same certificate
mkdir -p "$W/www" "$W/ngx"
cp "$W/find.html" "$W/subject.html" "$W/due.html" "$W/www/"
chmod 755 "$W" "$W/www"; chmod 644 "$W/www/"*
NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$W/ngx/nginx.conf" <<EOT
worker_processes 2;
daemon off;
pid $W/ngx/nginx.pid;
error_log $W/ngx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/ngx/body; proxy_temp_path $W/ngx/proxy;
	fastcgi_temp_path $W/ngx/fcgi; uwsgi_temp_path $W/ngx/uwsgi; scgi_temp_path $W/ngx/scgi;
	default_type text/html;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NPORT ssl;
		ssl_certificate $W/pki/web.crt;
		ssl_certificate_key $W/pki/web.key;
		root $W/www;
	}
}
EOT
"$NGINX" -c "$W/ngx/nginx.conf" -p "$W/ngx" 2>>"$W/ngx/error.log" &
NGX_PID=$!
i=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WEB_CA" "https://localhost:$NPORT/due.html")" = 200 ]; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "bench/web: nginx: $(cat "$W/ngx/error.log")" >&2; exit 1; }
	sleep 0.1
done

cat >"$W/wrk.lua" <<EOT
wrk.headers["Cookie"] = "$COOKIE"
done = function(s, lat, req)
	local bad = s.errors.connect + s.errors.read + s.errors.write + s.errors.status + s.errors.timeout
	io.write(string.format("RESULT %.2f %.2f %.0f %d %d\n", lat:percentile(50) / 1000,
	    lat:percentile(99) / 1000, s.requests / (s.duration / 1e6), s.requests, bad))
end
EOT
# run NAME URL: wrk for SECS seconds; sets P50 P99 RPS REQS
run() {
	what=$1
	wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$W/wrk.lua" "$2" >"$W/wrk.out" 2>&1 ||
		{ echo "bench/web: wrk $what: $(cat "$W/wrk.out")" >&2; exit 1; }
	set -- $(grep '^RESULT' "$W/wrk.out")
	P50=$2 P99=$3 RPS=$4 REQS=$5
	[ "$6" -eq 0 ] || { echo "bench/web: $what: $6 failed or 4xx/5xx answers of $5" >&2; exit 1; }
}
printf '%-8s %10s %10s %10s   %10s %10s %10s   %s\n' page p50-ms p99-ms req/s \
    nginx-p50 nginx-p99 nginx-req/s ratio
served=0 fail=0
for page in find subject due; do
	case $page in find) url=$FIND ;; subject) url=$SUBJ ;; due) url=/due ;; esac
	run "asbreg $page" "$WEB_URL$url"
	a50=$P50 a99=$P99 arps=$RPS served=$((served + REQS))
	# still signed in (wrk counts a 303 to /login as served): the page, not a redirect
	[ "$(get "$url" "$W/after.html")" = 200 ] ||
		{ echo "bench/web: GET $url no longer answers 200 after wrk" >&2; exit 1; }
	run "nginx $page" "https://localhost:$NPORT/$page.html"
	ratio=$(echo "scale=3; $arps / $RPS" | bc)
	printf '%-8s %10s %10s %10s   %10s %10s %10s   %s\n' "$page" "$a50" "$a99" "$arps" \
	    "$P50" "$P99" "$RPS" "$ratio"
	if [ "$(echo "$a99 < 20" | bc)" -ne 1 ]; then
		echo "  target missed: $page p99 $a99 ms (target under 20 ms)"; fail=1
	fi
	if [ $page = subject ] && [ "$(echo "$ratio >= 0.5" | bc)" -ne 1 ]; then
		echo "  target missed: subject page at ${ratio}x nginx's requests/s (target 0.5x)"; fail=1
	fi
done
web_stop
after=$(a audit | wc -l)
# every page wrk counted has its consultation entry (a few more: answers in flight at the end)
echo "audit: $((after - before)) entries for $served pages served"
[ $((after - before)) -ge "$served" ] ||
	{ echo "bench/web: fewer audit entries than pages served" >&2; exit 1; }
a audit --verify >"$W/verify.out" 2>&1 ||
	{ echo "bench/web: asbreg audit --verify failed: $(cat "$W/verify.out")" >&2; exit 1; }
echo "audit --verify: $(tail -1 "$W/verify.out")"
[ $fail -eq 0 ] && echo "targets: met" || echo "targets: missed (see above)"
