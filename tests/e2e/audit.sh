#!/bin/sh
# audit.sh - the audit log against someone who can write data.mdb (every register user can,
# today): 'audit --verify' prints the head; each head is sent to syslog as it is committed;
# a log rewritten with nothing but lmdb-utils and every hash recomputed still says "chain
# intact", and only 'audit --verify --head' with a head recorded before the rewrite finds it.
. "$(dirname "$0")/lib.sh"
export ASBREG_NOW=2026-11-01T12:00 ASBREG_DIR=./var/register
REG=$ASBREG_DIR
expect_ok init --force E23000001
expect_ok person add --name "Jane Example" --dob 1990-05-05
expect_ok add cpw --subject S000001 --issued 2026-10-01 --by "PC 1"

# ---- the head, printed ---------------------------------------------------------------------
expect_ok audit --verify
contains "$OUT" "^audit log verified: 3 entries, chain intact$" "audit --verify"
contains "$OUT" "^head: entry 3 sha256 [0-9a-f]{64}$" "audit --verify prints the head"
HEAD3=$(printf '%s\n' "$OUT" | sed -n 's/^head: entry 3 sha256 //p')
expect_ok audit --verify --json
contains "$OUT" "^\\{\"verified\":true,\"entries\":3,\"head\":\\{\"seq\":3,\"hash\":\"$HEAD3\"\\}\\}$" "audit --verify --json prints the head"

# ---- each head to syslog as it is committed ------------------------------------------------
# ASBREG_SYSLOG_STDERR=1 copies the syslog line to stderr (syslog still gets it).
ASBREG_SYSLOG_STDERR=1 "$ASBREG" show R000001 >/dev/null 2>show.err
[ $? -eq 0 ] && ok || bad "show with the syslog copy: $(cat show.err)"
expect_ok audit --verify
HEAD4=$(printf '%s\n' "$OUT" | sed -n 's/^head: entry 4 sha256 //p')
[ -n "$HEAD4" ] && ok || bad "no head 4: $OUT"
contains "$(cat show.err)" "^asbreg\\[[0-9]+\\]: audit head force=E23000001 seq=4 sha256=$HEAD4 command=show$" "the committed head is logged"
[ "$(wc -l <show.err)" -eq 1 ] && ok || bad "one syslog line a commit: $(cat show.err)"
file_lacks show.err "Jane|Example|e2e-officer|1990" "the syslog line names no one"
# Nothing is committed by a refusal, so no head is logged for it.
ASBREG_SYSLOG_STDERR=1 "$ASBREG" show R000099 >/dev/null 2>refused.err
file_lacks refused.err "audit head" "a refused command logs no head"
# Without the copy, stderr stays clean.
"$ASBREG" show R000001 >/dev/null 2>quiet.err
[ ! -s quiet.err ] && ok || bad "a head on stderr without ASBREG_SYSLOG_STDERR: $(cat quiet.err)"
expect_ok audit --verify
HEAD5=$(printf '%s\n' "$OUT" | sed -n 's/^head: entry 5 sha256 //p')

# ---- a recorded head that is in the chain ---------------------------------------------------
expect_ok audit --verify --head "$HEAD3"
contains "$OUT" "^recorded head: entry 3 of 5, the log up to it unchanged$" "a recorded head found"
expect_ok audit --verify --head "$(printf '%s' "$HEAD5" | tr a-f A-F)" --json
contains "$OUT" "\"recorded_head\":\\{\"seq\":5,\"hash\":\"$HEAD5\"\\}" "a recorded head in JSON"
refuse 2 "--head: 'abc' is not a head" audit --verify --head abc
refuse 2 "--head goes with --verify" audit --head "$HEAD3"

# ---- the rewrite ---------------------------------------------------------------------------
# Change who ran entry 4 (same length), then recompute every hash from entry 4 on and the
# head: lmdb-utils, sha256sum and perl's pack are all it takes.
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
rewrite() {
	dir=$1 seq=$2 old=$(hex "$3") new=$(hex "$4")
	zero=0000000000000000000000000000000000000000000000000000000000000000
	mdb_dump -s audit "$dir" >audit.dump || return 1
	sed -n '/^HEADER=END$/,/^DATA=END$/p' audit.dump | sed '1d;$d' >audit.pairs
	{
		sed -n '1,/^HEADER=END$/p' audit.dump
		n=0 prev=
		while read -r key && read -r val; do
			n=$((n + 1))
			len=${#val}
			if [ "$n" -ge "$seq" ]; then
				[ "$n" -eq "$seq" ] && val=$(printf '%s' "$val" | sed "s/$old/$new/")
				body=$(printf '%s' "$val" | cut -c1-$((len - 128)))
				hash=$(printf '%s' "$body$prev$zero" | perl -e 'print pack("H*", <STDIN>)' |
				    sha256sum | cut -c1-64)
				val=$body$prev$hash
			fi
			prev=$(printf '%s' "$val" | cut -c$((len - 63))-)
			printf ' %s\n %s\n' "$key" "$val"
		done <audit.pairs
		echo DATA=END
	} >audit.new
	mdb_load -s audit -f audit.new "$dir" 2>>load.err || return 1
	mdb_dump -s meta "$dir" | awk -v h="$prev" 'head { print " " h; head = 0; next }
	    $1 == "61756469742e68656164" { head = 1 } { print }' >meta.new
	mdb_load -s meta -f meta.new "$dir" 2>>load.err
}
cp -r "$REG" ./var/before
rewrite "$REG" 4 e2e-officer e2e-visitor && ok || bad "the rewrite itself failed"
expect_ok audit
contains "$OUT" "e2e-visitor +consultation +show" "the rewrite changed who ran entry 4"
expect_ok audit --verify
contains "$OUT" "^audit log verified: 5 entries, chain intact$" "the rewritten chain verifies on its own"
lacks "$OUT" "$HEAD5" "the head changed with the rewrite"
refuse 1 "no entry of the audit log has the recorded head $HEAD5 .*rewritten.*R-AUD-002" \
    audit --verify --head "$HEAD5"
refuse 1 "recorded head $HEAD4 " audit --verify --head "$HEAD4"
# A head recorded before the entry changed still holds: entries 1 to 3 are as they were.
expect_ok audit --verify --head "$HEAD3"
contains "$OUT" "recorded head: entry 3 of 5" "a head from before the rewritten entry"
# And the copy taken before the rewrite has the head it was recorded with.
expect_ok -d ./var/before audit --verify --head "$HEAD5"
finish
