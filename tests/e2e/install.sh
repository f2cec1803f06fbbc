#!/bin/sh
# install.sh - 'make install DESTDIR=... PREFIX=/usr' places the binaries, manuals, XSD and
# code lists, tools (devpki, the demo), docs and systemd units, and the installed copy runs
# on its own: with the source tree hidden (a private mount namespace with an empty tmpfs
# over it; where that is not allowed, strace shows no file of the tree opened) and from
# another directory, the installed demo runs end to end and devpki, asbhub init and asbreg
# backup work; no installed text names the tree; each unit passes 'systemd-analyze verify'
# when systemd-analyze is here.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
: "${ASBGW:?set ASBGW to the asbgw binary}" "${ASBHUB:?set ASBHUB to the asbhub binary}"
BUILD=$(cd "$(dirname "$ASBREG")/.." && pwd)
S=$WORK/stage
U=/usr

if make -s --no-print-directory -C "$ROOT" install PREFIX=$U DESTDIR="$S" BUILD="$BUILD" \
    >make.out 2>&1; then ok; else bad "make install: $(tail -5 make.out)"; fi
for f in bin/asbreg bin/asbgw bin/asbhub bin/asbsynth share/asb/tools/devpki \
    share/asb/tools/demo.sh; do
	[ -x "$S$U/$f" ] && ok || bad "$U/$f not installed executable"
done
for f in share/man/man1/asbreg.1 share/man/man1/asbhub.1 share/man/man1/asbgw.1 \
    share/asb/schema/asb-return-1.xsd share/asb/schema/codes/forces.tsv \
    share/asb/schema/rules.tsv share/doc/asb/operations.md \
    lib/systemd/system/asbhub.service lib/systemd/system/asbreg-web.service \
    lib/systemd/system/asbgw-send.service lib/systemd/system/asbgw-send.timer; do
	[ -s "$S$U/$f" ] && ok || bad "$U/$f not installed"
done
cmp -s "$ROOT/schema/asb-return-1.xsd" "$S$U/share/asb/schema/asb-return-1.xsd" && ok ||
    bad "the installed XSD differs"
# the units name the installed programs, no placeholder left
contains "$(cat "$S$U/lib/systemd/system/asbhub.service")" "^ExecStart=$U/bin/asbhub serve" "asbhub.service ExecStart"
file_lacks "$S$U/lib/systemd/system/asbgw-send.service" "@bindir@|@docdir@" "a placeholder in a unit"
# nothing installed names the tree (the binaries' debug information aside: strip it first)
for b in asbreg asbgw asbhub asbsynth; do
	objcopy --strip-debug "$S$U/bin/$b" "$WORK/$b.nodebug" 2>/dev/null || cp "$S$U/bin/$b" "$WORK/$b.nodebug"
	if grep -qaF "$ROOT" "$WORK/$b.nodebug"; then bad "$U/bin/$b names $ROOT"; else ok; fi
done
if grep -rlF "$ROOT" "$S$U/share" "$S$U/lib" >names.out 2>&1; then bad "installed files name the tree: $(cat names.out)"
else ok; fi

# ---- the installed copy alone ----------------------------------------------------------
mkdir "$WORK/run"
cat > "$WORK/alone.sh" <<EOF
set -e
cd "$WORK/run"
export PATH=$S$U/bin:/usr/bin:/bin ASBREG=$S$U/bin/asbreg ASBGW=$S$U/bin/asbgw
test ! -e "$ROOT/Makefile" || echo "tree visible"
sh $S$U/share/asb/tools/demo.sh > demo.out 2>&1 || { tail -20 demo.out; exit 1; }
$S$U/share/asb/tools/devpki pki --forces E23000011 > /dev/null
asbhub init -d hub --ca pki/ca.crt --cert pki/hub/tls.crt --key pki/hub/tls.key \
    --sign-cert pki/hub/sign.crt --sign-key pki/hub/sign.key > /dev/null
asbhub force add E23000011 --cert pki/forces/E23000011/sign.crt -d hub > /dev/null
asbreg -d var/demo-register --as pc.4471 backup bk > /dev/null
asbreg -d bk --as pc.4471 audit --verify > /dev/null
asbhub backup hb -d hub > /dev/null
echo alone-ok
EOF
how=
if unshare -m sh -c "mount -t tmpfs none '$ROOT'" 2>/dev/null; then
	how=hidden
	unshare -m sh -c "mount -t tmpfs none '$ROOT' && sh '$WORK/alone.sh'" >alone.out 2>&1
elif command -v strace >/dev/null 2>&1; then
	how=strace
	strace -f -qq -e trace=open,openat,stat,execve -o "$WORK/trace" sh "$WORK/alone.sh" >alone.out 2>&1
	if grep -F "\"$ROOT/" "$WORK/trace" | grep -v ENOENT >trace.hits; then
		bad "the installed copy opened files of the tree: $(head -3 trace.hits)"
	else ok; fi
else
	how=cwd
	sh "$WORK/alone.sh" >alone.out 2>&1
fi
contains "$(cat alone.out)" "^alone-ok$" "the installed copy alone ($how)"
lacks "$(cat alone.out)" "tree visible" "the tree hidden ($how)"
[ -s "$WORK/run/bk/data.mdb" ] && ok || bad "the installed asbreg backup"
[ "$how" = cwd ] && echo "install: note: the tree could not be hidden, nor the run traced" >&2

# ---- systemd-analyze verify, on the installed units pointed at the staged programs ---------
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$WORK/units"
	for u in asbhub.service asbreg-web.service asbgw-send.service asbgw-send.timer; do
		sed "s|$U/bin/|$S$U/bin/|g" "$S$U/lib/systemd/system/$u" > "$WORK/units/$u"
		if (cd "$WORK/units" && MANPATH=$S$U/share/man systemd-analyze verify "./$u") \
		    >verify.out 2>&1; then ok
		else bad "systemd-analyze verify $u: $(cat verify.out)"; fi
	done
	# a unit whose program is not there fails it (so a pass above means something)
	sed "s|$S$U/bin/asbhub|$S$U/bin/asbhub-gone|" "$WORK/units/asbhub.service" > "$WORK/units/bad.service"
	if (cd "$WORK/units" && MANPATH=$S$U/share/man systemd-analyze verify ./bad.service) >/dev/null 2>&1
	then bad "systemd-analyze verify passes a unit whose program is missing"; else ok; fi
else
	echo "install: systemd-analyze not here: units not verified" >&2
fi

finish
