#!/bin/sh
# load.sh - the hub on loopback under load, with bounded counts and time: many concurrent
# clients (health checks, and returns sent twice at once), slow clients that never finish
# their body, more idle connections than the cap, oversized headers.  Reports requests/s,
# p50/p99 latency and refused connections; checks every accepted return is stored exactly
# once, the service stays up and answers, and its memory stays bounded.
# LOAD_CLIENTS (default 8), LOAD_REQUESTS per client (default 20), LOAD_SLOW (default 6).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?}" "${ASBHUB:?}" "${SYNTH:?}"
unset ASBGW_CONF ASBHUB_DIR
CLIENTS=${LOAD_CLIENTS:-8} REQS=${LOAD_REQUESTS:-20} SLOW=${LOAD_SLOW:-6}
PKI=$WORK/pki
"$ROOT/tools/devpki" "$PKI" --forces E23000011 >/dev/null
F=$PKI/forces/E23000011
hub_init "$WORK/hub" "$PKI" E23000011 || bad "hub init"
hub_start "$WORK/hub" 0 --max-connections 16 --timeout 3 --max-body 8000000 ||
    { bad "the hub did not start"; finish; exit; }
PORT=$HUB_PORT URL=$HUB_URL
C="--cacert $PKI/ca.crt --cert $F/tls.crt --key $F/tls.key -s --max-time 60"

# returns for eight quarters, signed
"$SYNTH" -d "$WORK/reg" --force E23000011 --from 2024-Q4 --to 2026-Q3 >/dev/null
IDS=
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	"$ASBGW" build -d "$WORK/reg" --period $q -o "$WORK/$q.xml" >/dev/null
	"$ASBGW" sign "$WORK/$q.xml" --key "$F/sign.key" --cert "$F/sign.crt" >/dev/null
	IDS="$IDS $(sed -n 's:.*<ReturnId>\([^<]*\)</ReturnId>.*:\1:p' "$WORK/$q.xml" | head -1)"
done

# ---- slow clients: a body promised and never sent; more idle connections than the cap ----
slow() {	# $1: what to send before stalling, $2: where to note when the hub let go
	( printf "$1"; sleep 10 ) | { timeout 20 openssl s_client -quiet -connect \
	    "127.0.0.1:$PORT" -cert "$F/tls.crt" -key "$F/tls.key" -CAfile "$PKI/ca.crt" \
	    >/dev/null 2>&1; date +%s%N >"$2"; }
}
a=$(date +%s%N)
SLOWPIDS=
j=0
while [ $j -lt "$SLOW" ]; do
	slow 'POST /v1/returns HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000000\r\n\r\n<Return' \
	    "$WORK/slow.body.$j" &
	SLOWPIDS="$SLOWPIDS $!"
	slow '' "$WORK/slow.idle.$j" &
	SLOWPIDS="$SLOWPIDS $!"
	j=$((j + 1))
done
sleep 0.5	# they take their connections first

# ---- many clients at once: health, and every return sent twice at the same time ----------------
client() {
	n=0
	while [ $n -lt "$REQS" ]; do
		curl $C -o /dev/null -w '%{http_code} %{time_total}\n' "$URL/v1/health"
		n=$((n + 1))
	done >"$WORK/lat.$1"
}
start=$(date +%s%N)
k=0
while [ $k -lt "$CLIENTS" ]; do client $k & k=$((k + 1)); done
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	for copy in 1 2; do
		curl $C -o "$WORK/r.$q.$copy" -w '%{http_code} %{time_total}\n' \
		    --data-binary @"$WORK/$q.xml" "$URL/v1/returns" >"$WORK/post.$q.$copy" &
	done
done
wait_for() { for f in "$@"; do while [ ! -s "$f" ]; do sleep 0.1; done; done; }
k=0; while [ $k -lt "$CLIENTS" ]; do
	while [ "$(wc -l <"$WORK/lat.$k" 2>/dev/null || echo 0)" -lt "$REQS" ]; do sleep 0.1; done
	k=$((k + 1))
done
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	wait_for "$WORK/post.$q.1" "$WORK/post.$q.2"
done
end=$(date +%s%N)

# ---- oversized headers, while the slow ones still hang on ------------------------------------
# refused with 400 (libevent's answer to headers over the cap), not a connection that failed
code=$(curl $C -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)" "$URL/v1/health")
[ "$code" = 400 ] && ok || bad "a 40 kB header: HTTP $code, want 400"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "no answer after oversized headers"

# ---- the figures -------------------------------------------------------------------------------
cat "$WORK"/lat.* "$WORK"/post.* >"$WORK/all"
total=$(wc -l <"$WORK/all")
okn=$(grep -c '^200 ' "$WORK/all")
refused=$(grep -vc '^200 ' "$WORK/all")
p50=$(awk '{ print $2 }' "$WORK/all" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR * 0.50 + 0.5)] }')
p99=$(awk '{ print $2 }' "$WORK/all" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.99 + 0.5); if (i < 1) i = 1; print a[i] }')
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "load: $total requests from $CLIENTS clients + 16 returns in $secs s ($(awk -v n="$total" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') requests/s); p50 $p50 s, p99 $p99 s; $refused refused; $((SLOW * 2)) slow connections"
[ "$okn" -eq "$total" ] && ok || bad "$refused of $total requests failed: $(grep -v '^200 ' "$WORK/all" | head -3)"

# every return stored exactly once, and both copies got the same receipt
[ "$(echo $IDS | wc -w)" = 8 ] && ok || bad "want 8 signed returns, have IDs: $IDS"
for id in $IDS; do
	n=$("$ASBHUB" returns -d "$WORK/hub" --json | grep -c "\"return_id\":\"$id\"")
	[ "$n" = 1 ] && ok || bad "$id stored $n times"
done
for q in 2024-Q4 2025-Q1 2025-Q2 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3; do
	[ -s "$WORK/r.$q.1" ] && cmp -s "$WORK/r.$q.1" "$WORK/r.$q.2" && ok ||
	    bad "$q: no answer, or two different answers to the same return"
done

# the slow clients were cut off by the hub's idle timeout (3 s), long before they would have
# let go themselves (10 s)
# let go after about the 3 s, not at once: a client that could not connect at all (openssl
# failing) would also finish early, and prove nothing about the timeout
wait $SLOWPIDS
longest=0 shortest=
for f in "$WORK"/slow.*; do
	t=$(( ($(cat "$f") - a) / 1000000 ))
	[ "$t" -gt "$longest" ] && longest=$t
	[ -z "$shortest" ] || [ "$t" -lt "$shortest" ] && shortest=$t
done
[ "$longest" -lt 8000 ] && ok || bad "a slow client held its connection for $longest ms"
[ "${shortest:-0}" -ge 2500 ] && ok || bad "a stalled client was let go after ${shortest:-0} ms, before the 3 s timeout"
echo "load: the stalled clients were let go after $shortest to $longest ms"
curl $C "$URL/v1/health" | grep -q '"ok"' && ok || bad "the hub stopped answering"
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$HUB_PID/status")
[ -n "$rss" ] && [ "$rss" -lt 1048576 ] && ok || bad "hub peak RSS '$rss' kB"
echo "load: hub peak RSS $((${rss:-0} / 1024)) MiB"
hub_stop && ok || bad "stopping the hub"
finish
