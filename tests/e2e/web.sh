#!/bin/sh
# web.sh - the officers' web application over HTTPS with curl: sign-in with a password and a
# TOTP code (from oathtool, an independent implementation), every refusal (wrong password,
# wrong code, unknown user, no second factor above officer, the lock after 5 failures, no
# form token, a session after sign-out or idle too long) with its status, its message, its
# audit entry and nothing else stored; the cookie flags and the security headers of every
# kind of answer; escaping; the find page and its consultation entry.
. "$(dirname "$0")/../lib/web.sh"
. "$(dirname "$0")/lib.sh"
trap 'web_cleanup; hub_cleanup; rm -rf "$WORK"' EXIT
command -v oathtool >/dev/null || { echo "web: oathtool is missing (make deps)"; exit 1; }

R=$WORK/reg
export ASBREG_DIR=$R ASB_USER=web-admin
expect_ok init --force E23000011
web_user "$R" pc.1 officer 'correct horse battery' totp || bad "web_user pc.1"
SECRET=$WEB_SECRET
web_user "$R" pc.2 officer 'another long passphrase' || bad "web_user pc.2"
web_user "$R" sup.1 supervisor 'supervisor passphrase' || bad "web_user sup.1"
ZOE=$("$ASBREG" person add --name "Zoë <b>O'Brien</b> & co" --dob 1990-01-02)
ZED=$("$ASBREG" person add --name "Zoe Zed" --dob 1991-03-04)
"$ASBREG" restrict "$ZED" --reason "accuracy contested" >/dev/null || bad "restrict"
"$ASBREG" add cpw --subject "$ZOE" --by "PC 1" >/dev/null || bad "add cpw"

# ---- the command line: passwords and second factors ----
state "$R"; before=$SNAP
exits 2 "a short password" sh -c "echo short | '$ASBREG' user passwd pc.1"
contains "$ERR" "a password is 10 to 1024 characters" "short password message"
exits 3 "passwd for no such user" sh -c "echo 'long enough password' | '$ASBREG' user passwd nobody"
contains "$ERR" "nobody is not a user of this register" "unknown user message"
exits 3 "totp for no such user" "$ASBREG" user totp nobody
exits 1 "an officer may not set passwords" sh -c "echo 'long enough password' | ASB_USER=pc.1 '$ASBREG' user passwd pc.2"
contains "$ERR" "R-ROLE-001" "officer refused user passwd"
state "$R"
if [ "$before" = "$SNAP" ]; then ok; else bad "refused passwd/totp changed the register"; fi
contains "$SECRET" '^[A-Z2-7]{32}$' "the TOTP secret is 160 bits of base32"
# the Argon2id hash is stored, never the password
mdb_dump -p -s meta "$R" >"$WORK/meta.dump" || bad "mdb_dump meta"
file_lacks "$WORK/meta.dump" "correct horse" "the password in the register"
contains "$(cat "$WORK/meta.dump")" 'argon2id\$v=19\$m=65536,t=3,p=1\$' "Argon2id t=3 m=64MiB p=1"

# ---- the server ----
web_pki "$WORK/pki" || bad "web_pki"
exits 2 "serve without --cert" "$ASBREG" serve --listen 127.0.0.1:0 --key x
contains "$ERR" "give --listen HOST:PORT, --cert TLSCERT and --key TLSKEY" "serve usage"
exits 2 "serve with a bad key" "$ASBREG" serve --listen 127.0.0.1:0 --cert "$WORK/pki/web.crt" \
    --key "$WORK/pki/ca.key"
contains "$ERR" "not a matching TLS certificate and key" "bad key message"
if [ "$(id -u)" -eq 0 ]; then
	exits 2 "--user that does not own the register" "$ASBREG" serve --listen 127.0.0.1:0 \
	    --cert "$WORK/pki/web.crt" --key "$WORK/pki/web.key" --user nobody
	contains "$ERR" "must belong to nobody" "--user ownership message"
fi
# --port-file, written while still root: never through a link (as asbhub serve, issue 12)
echo keep >"$WORK/pf-target"
ln -s "$WORK/pf-target" "$WORK/pf-link"
exits 5 "serve --port-file through a symbolic link" timeout 10 "$ASBREG" serve \
    --listen 127.0.0.1:0 --cert "$WORK/pki/web.crt" --key "$WORK/pki/web.key" \
    --port-file "$WORK/pf-link"
contains "$ERR" "a symbolic link" "the port-file refusal says why"
[ "$(cat "$WORK/pf-target")" = keep ] && ok || bad "the port file's link target was written"
web_start "$R" "$WORK/pki" --idle-timeout 4 --lock-time 6 || { bad "web_start"; finish; exit; }

J=$WORK/jar
# req NAME [CURL ARGS...]: a request with the cookie jar; headers in $WORK/NAME.h, body in
# $WORK/NAME.html, status in $ST.
req() {
	_n=$1
	shift
	ST=$(curl -s --cacert "$WEB_CA" -b "$J" -c "$J" -D "$WORK/$_n.h" -o "$WORK/$_n.html" \
	    -w '%{http_code}' "$@")
}
hdr() { tr -d '\r' <"$WORK/$1.h"; }
csrf() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/$1.html" | head -1; }
# headers NAME WHAT: the security headers every answer carries
headers() {
	h=$(hdr "$1")
	contains "$h" "^Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$" "$2: CSP"
	contains "$h" '^Strict-Transport-Security: max-age=31536000; includeSubDomains$' "$2: HSTS"
	contains "$h" '^X-Frame-Options: DENY$' "$2: X-Frame-Options"
	contains "$h" '^Referrer-Policy: no-referrer$' "$2: Referrer-Policy"
	contains "$h" '^X-Content-Type-Options: nosniff$' "$2: nosniff"
}
audit_has() { contains "$("$ASBREG" audit)" "$1" "$2"; }
audit_count() { "$ASBREG" audit | grep -c -- "$1"; }

req login "$WEB_URL/login"
[ "$ST" = 200 ] && ok || bad "GET /login: $ST"
headers login "GET /login"
contains "$(hdr login)" '^Cache-Control: no-store$' "GET /login: no-store"
contains "$(hdr login)" '^Set-Cookie: __Host-asb-login=[0-9a-f]{64}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600$' "sign-in form cookie flags"
file_lacks "$WORK/login.html" '<script|style=|onload=|onclick=' "inline script or style on /login"
TOK=$(csrf login)
contains "$TOK" '^[0-9a-f]{64}$' "the sign-in form's token"

# no form token: 403, nothing stored (not even a failure count or an audit entry)
snapshot "$R"; before=$SNAP
req nocsrf --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "code=$(oathtool --totp -b "$SECRET")" "$WEB_URL/login"
[ "$ST" = 403 ] && ok || bad "POST /login without csrf: $ST"
contains "$(cat "$WORK/nocsrf.html")" "The form has expired" "403 page says why"
headers nocsrf "403"
req badcsrf --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "csrf=$(printf '%064d' 0)" "$WEB_URL/login"
[ "$ST" = 403 ] && ok || bad "POST /login with a wrong csrf: $ST"
unchanged "$R" "$before" "POST /login without a good form token"
lacks "$(hdr nocsrf)" '__Host-asb-session=[0-9a-f]' "no session without csrf"

# wrong password: the form again with the error summary, refused, audited, no session
req wrongpw --data-urlencode username=pc.1 --data-urlencode 'password=wrong password here' \
    --data-urlencode "code=$(oathtool --totp -b "$SECRET")" --data-urlencode "csrf=$TOK" \
    "$WEB_URL/login"
[ "$ST" = 200 ] && ok || bad "wrong password: $ST"
contains "$(cat "$WORK/wrongpw.html")" 'govuk-error-summary.*There is a problem' "error summary"
contains "$(cat "$WORK/wrongpw.html")" 'The user name, password or code is not right. \(R-LOGIN-001\)' "wrong password message"
lacks "$(hdr wrongpw)" '__Host-asb-session=[0-9a-f]' "no session for a wrong password"
audit_has 'pc\.1 +alteration +login +login refused \(R-LOGIN-001\): wrong password; failure 1 of 5' "wrong password audited"
# wrong code
req wrongcode --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "code=000000" --data-urlencode "csrf=$TOK" "$WEB_URL/login"
contains "$(cat "$WORK/wrongcode.html")" 'R-LOGIN-001' "wrong code refused"
lacks "$(hdr wrongcode)" '__Host-asb-session=[0-9a-f]' "no session for a wrong code"
audit_has 'pc\.1 .*login refused \(R-LOGIN-001\): wrong code; failure 2 of 5' "wrong code audited"
req nocode --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
audit_has 'pc\.1 .*login refused \(R-LOGIN-001\): no code; failure 3 of 5' "no code audited"
# unknown user, and a role above officer with no second factor
req unknown --data-urlencode username=nobody --data-urlencode 'password=whatever it is' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
contains "$(cat "$WORK/unknown.html")" 'The user name, password or code is not right' "unknown user refused"
audit_has 'nobody .*login refused \(R-LOGIN-001\): no such user' "unknown user audited"
req sup --data-urlencode username=sup.1 --data-urlencode 'password=supervisor passphrase' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
contains "$(cat "$WORK/sup.html")" 'needs a second factor.*\(R-LOGIN-003\)' "supervisor without TOTP refused"
lacks "$(hdr sup)" '__Host-asb-session=[0-9a-f]' "no session for a supervisor without TOTP"
"$ASBREG" audit >"$WORK/audit.txt"
file_lacks "$WORK/audit.txt" 'wrong password here|correct horse|whatever it is' "a password in the audit log"

# signed in: password and code
CODE=$(oathtool --totp -b "$SECRET")
req signin --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "code=$CODE" --data-urlencode "csrf=$TOK" "$WEB_URL/login"
[ "$ST" = 303 ] && ok || bad "sign-in: $ST $(cat "$WORK/signin.html")"
contains "$(hdr signin)" '^Location: /$' "sign-in goes home"
contains "$(hdr signin)" '^Set-Cookie: __Host-asb-session=[0-9a-f]{64}; Path=/; Secure; HttpOnly; SameSite=Strict$' "session cookie flags"
headers signin "303"
SESSION=$(hdr signin | sed -n 's/^Set-Cookie: __Host-asb-session=\([0-9a-f]*\);.*/\1/p')
audit_has 'pc\.1 +alteration +login +login: session started \(password and code\)' "sign-in audited"
mdb_dump -p -s meta "$R" >"$WORK/meta.dump" || bad "mdb_dump meta"
file_lacks "$WORK/meta.dump" "$SESSION" "the session token at rest (only its hash is kept)"

req home "$WEB_URL/"
[ "$ST" = 200 ] && ok || bad "GET /: $ST"
headers home "GET /"
contains "$(hdr home)" '^Cache-Control: no-store$' "home: no-store"
contains "$(cat "$WORK/home.html")" 'Due this week' "home: due"
contains "$(cat "$WORK/home.html")" 'Recent records' "home: recent records"
contains "$(cat "$WORK/home.html")" 'action="/find"' "home: the search box"
contains "$(cat "$WORK/home.html")" 'pc\.1 \(officer\)' "home: who is signed in"
audit_has "pc\.1 +consultation +list +R000001 $ZOE" "home is a consultation under pc.1"

# find: escaped, restricted marked, the consultation names what was shown
req find "$WEB_URL/find?q=zo"
[ "$ST" = 200 ] && ok || bad "GET /find: $ST"
headers find "GET /find"
contains "$(hdr find)" '^Cache-Control: no-store$' "find: no-store"
contains "$(cat "$WORK/find.html")" 'Zoë &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; co' "find: the name escaped"
file_lacks "$WORK/find.html" '<b>O' "find: markup from the register"
contains "$(cat "$WORK/find.html")" "href=\"/subjects/$ZED\">$ZED</a></td><td class=\"govuk-table__cell\">Zoe Zed <strong class=\"govuk-tag govuk-tag--red\">Restricted</strong>" "find: restricted marked"
contains "$(cat "$WORK/find.html")" '2 found' "find: the count"
audit_has "pc\.1 +consultation +find +$ZOE $ZED" "find is a consultation naming both"
req findq "$WEB_URL/find?q=%3Cscript%3Ealert(1)%3C/script%3E"
contains "$(cat "$WORK/findq.html")" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"' "the query escaped"
file_lacks "$WORK/findq.html" '<script' "a script from the query"
req find405 -X POST --data x=1 "$WEB_URL/find"
[ "$ST" = 405 ] && ok || bad "POST /find: $ST"
req nosuch "$WEB_URL/nosuch"
[ "$ST" = 404 ] && ok || bad "GET /nosuch: $ST"
headers nosuch "404"
req css "$WEB_URL/govuk-frontend.min.css"
[ "$ST" = 200 ] && ok || bad "the stylesheet: $ST"
contains "$(hdr css)" '^Cache-Control: public, max-age=31536000, immutable$' "the stylesheet cached long"
contains "$(hdr css)" '^Content-Type: text/css' "the stylesheet's type"
headers css "the stylesheet"
req img "$WEB_URL/assets/images/favicon.ico"
[ "$ST" = 200 ] && ok || bad "the favicon: $ST"
contains "$(hdr img)" '^Content-Type: image/x-icon$' "the favicon's type"
# GDS Transport is for GOV.UK's own services: not served, and not asked for
req font "$WEB_URL/assets/fonts/bold-b542beb274-v2.woff2"
[ "$ST" = 404 ] && ok || bad "the GDS Transport font is served: $ST"
req asbcss "$WEB_URL/asb.css"
contains "$(cat "$WORK/asbcss.html")" '^\*,\*::before,\*::after\{font-family:arial,' "every element in Arial, not GDS Transport"
req trav "$WEB_URL/assets/%2e%2e/%2e%2e/package.json"
[ "$ST" = 404 ] && ok || bad "a path out of the assets: $ST"

# the subject page: orders in force (conditions, expiry) first, then the warnings
# (restricted, repeat subject, under 18), then history and linked records; escaped; audited
YOUNG=$("$ASBREG" person add --name "Young <i>Person</i>" --dob "$(date -d '17 years ago' +%F)")
YCPW=$("$ASBREG" add cpw --subject "$YOUNG" --by "PC 1" --issued "$(date -d '3 days ago' +%F)" \
    --months 6 --conditions "Stay out of <Park> & the shops") || bad "add cpw for the subject page"
YCPN=$("$ASBREG" add cpn --subject "$YOUNG" --by "PC 1" --issued "$(date -d '1 day ago' +%F)" \
    --conditions "No music after 23:00") || bad "add cpn for the subject page"
"$ASBREG" add cpw --subject "$YOUNG" --by "PC 1" --issued "$(date -d '2 days ago' +%F)" >/dev/null ||
	bad "a third record"
req subj "$WEB_URL/subjects/$YOUNG"
[ "$ST" = 200 ] && ok || bad "GET /subjects/ID: $ST"
headers subj "GET /subjects/ID"
contains "$(hdr subj)" '^Cache-Control: no-store$' "subject: no-store"
S=$(tr -d '\n' <"$WORK/subj.html")
contains "$S" 'Young &lt;i&gt;Person&lt;/i&gt;' "subject: the name escaped"
file_lacks "$WORK/subj.html" '<i>Person|<Park>' "subject: markup from the register"
contains "$S" 'id="active">Orders in force.*Stay out of &lt;Park&gt; &amp; the shops.*id="warnings"' "subject: conditions under the orders in force, before the warnings"
contains "$S" "href=\"/records/$YCPN\">Community protection notice $YCPN" "subject: the CPN in force"
contains "$S" "Expires</dt><dd class=\"govuk-summary-list__value\">$(date -d "$(date -d '3 days ago' +%F) 6 months" +%F)" "subject: the CPW's expiry"
contains "$S" 'id="warn-repeat".*Repeat subject: 3 records in the last 12 months' "subject: repeat warning"
contains "$S" 'id="warn-youth".*Under 18 \(aged 17\)' "subject: under-18 warning"
lacks "$S" 'id="warn-restricted"' "subject: not restricted"
contains "$S" 'id="warnings".*>History</caption>.*>Linked records</caption>' "subject: warnings, then history, then links"
contains "$S" "<td class=\"govuk-table__cell\">$YCPN</td><td class=\"govuk-table__cell\">follows</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/records/$YCPW\">" "subject: the CPN follows the CPW"
audit_has "pc\.1 +consultation +history +$YOUNG .*$YCPW" "subject page is a consultation under pc.1"
req subjr "$WEB_URL/subjects/$ZED"
[ "$ST" = 200 ] && ok || bad "GET /subjects/restricted: $ST"
contains "$(tr -d '\n' <"$WORK/subjr.html")" '<h1 class="govuk-heading-l">Zoe Zed <strong class="govuk-tag govuk-tag--red">Restricted</strong>' "subject: restricted marked in the heading"
contains "$(tr -d '\n' <"$WORK/subjr.html")" 'id="warn-restricted".*accuracy contested' "subject: restriction warning with its reason"
snapshot "$R"; before=$SNAP
req subj404 "$WEB_URL/subjects/S999999"
[ "$ST" = 404 ] && ok || bad "GET /subjects/no such: $ST"
contains "$(cat "$WORK/subj404.html")" 'There is no such subject in this register' "no such subject message"
headers subj404 "subject 404"
req subjbad "$WEB_URL/subjects/R000001"
[ "$ST" = 404 ] && ok || bad "GET /subjects/not an ID: $ST"
contains "$(cat "$WORK/subjbad.html")" 'S and digits' "not a subject ID message"
unchanged "$R" "$before" "a subject page refused (no consultation entry)"

# the record page: the record as `asbreg show` has it, and its event timeline
"$ASBREG" event "$YCPN" breached --date "$(date +%F)" --by "PC 1" --note "Music <loud> at 01:00" \
    >/dev/null || bad "event breached"
req rec "$WEB_URL/records/$YCPN"
[ "$ST" = 200 ] && ok || bad "GET /records/ID: $ST"
headers rec "GET /records/ID"
contains "$(hdr rec)" '^Cache-Control: no-store$' "record: no-store"
RC=$(tr -d '\n' <"$WORK/rec.html")
contains "$RC" "<h1 class=\"govuk-heading-l\">Community protection notice $YCPN <strong class=\"govuk-tag govuk-tag--green\">active</strong>" "record: power, ID and status"
contains "$RC" "About <a class=\"govuk-link\" href=\"/subjects/$YOUNG\">Young &lt;i&gt;Person&lt;/i&gt;</a>" "record: the subject, escaped"
contains "$RC" 'Conditions</dt><dd class="govuk-summary-list__value">No music after 23:00' "record: conditions"
contains "$RC" ">follows</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/records/$YCPW\">$YCPW</a>" "record: linked to the CPW it follows"
contains "$RC" '>Events</caption>.*<td class="govuk-table__cell">1</td><td class="govuk-table__cell">[0-9-]+</td><td class="govuk-table__cell">breached</td><td class="govuk-table__cell">Note: Music &lt;loud&gt; at 01:00</td>' "record: the event timeline, escaped"
contains "$RC" 'Breaches</dt><dd class="govuk-summary-list__value">1<' "record: breaches counted"
file_lacks "$WORK/rec.html" '<loud>' "record: markup from the register"
audit_has "pc\.1 +consultation +show +$YCPN $YCPW $YOUNG|pc\.1 +consultation +show +.*$YCPN.*$YOUNG" "record page is a consultation under pc.1"
req recr "$WEB_URL/records/R000001"
[ "$ST" = 200 ] && ok || bad "GET /records/R000001: $ST"
contains "$(cat "$WORK/recr.html")" 'No events yet' "record: no events"
RITA=$("$ASBREG" person add --name "Rita Later" --dob 1980-05-06)
RCPW=$("$ASBREG" add cpw --subject "$RITA" --by "PC 1") || bad "add cpw before restriction"
"$ASBREG" restrict "$RITA" --reason "objection pending" >/dev/null || bad "restrict Rita"
req recz "$WEB_URL/records/$RCPW"
contains "$(cat "$WORK/recz.html")" 'Rita Later</a> \(person, S[0-9]+\) <strong class="govuk-tag govuk-tag--red">Restricted' "record: a restricted subject marked"
snapshot "$R"; before=$SNAP
req rec404 "$WEB_URL/records/R999999"
[ "$ST" = 404 ] && ok || bad "GET /records/no such: $ST"
contains "$(cat "$WORK/rec404.html")" 'There is no such record in this register' "no such record message"
headers rec404 "record 404"
req recbad "$WEB_URL/records/S000001"
[ "$ST" = 404 ] && ok || bad "GET /records/not an ID: $ST"
contains "$(cat "$WORK/recbad.html")" 'R and digits' "not a record ID message"
unchanged "$R" "$before" "a record page refused (no consultation entry)"

# the form per power: only that power's statutory fields; POST /records through
# reg_record_add; a refusal answers the form again with the summary, the message beside the
# field with its rule ID, and the values kept; nothing stored
req newcpw "$WEB_URL/records/new?power=cpw&subject=$ZOE"
[ "$ST" = 200 ] && ok || bad "GET /records/new cpw: $ST"
headers newcpw "GET /records/new"
N=$(cat "$WORK/newcpw.html")
contains "$N" 'name="issued-day".*name="issued-month".*name="issued-year".*name="issued-time"' "new cpw: issued as GOV.UK date parts"
contains "$N" 'name="by"' "new cpw: by"
contains "$N" 'name="conditions"' "new cpw: conditions"
lacks "$N" 'name="rank"|name="links"|name="area"|name="partial"' "new cpw: no other power's fields"
req newcln "$WEB_URL/records/new?power=closure-notice&subject=$ZOE"
contains "$(cat "$WORK/newcln.html")" 'name="rank"' "new closure notice: rank"
req newbad "$WEB_URL/records/new?power=nosuch&subject=$ZOE"
[ "$ST" = 400 ] && ok || bad "GET /records/new nosuch power: $ST"
contains "$(cat "$WORK/newbad.html")" 'Give power as one of cpw' "no such power message"
req newnos "$WEB_URL/records/new?power=cpw&subject=S999999"
[ "$ST" = 404 ] && ok || bad "GET /records/new no such subject: $ST"
NTOK=$(csrf newcpw)
LONE=$("$ASBREG" person add --name "Lone Person" --dob 1985-07-08)
snapshot "$R"; before=$SNAP
req postnocsrf --data-urlencode power=cpw --data-urlencode "subject=$ZOE" --data-urlencode by=PC1 \
    "$WEB_URL/records"
[ "$ST" = 403 ] && ok || bad "POST /records without csrf: $ST"
# a CPN with no CPW before it: R-CPN-002 beside the links field, the values kept
req postrule --data-urlencode power=cpn --data-urlencode "subject=$LONE" \
    --data-urlencode "by=PC <1>" --data-urlencode "conditions=Keep the dog in" \
    --data-urlencode issued-day=1 --data-urlencode issued-month=12 \
    --data-urlencode "issued-year=$(date +%Y)" --data-urlencode issued-time=00:30 \
    --data-urlencode "csrf=$NTOK" "$WEB_URL/records"
[ "$ST" = 400 ] && ok || bad "POST /records refused by a rule: $ST"
P=$(tr -d '\n' <"$WORK/postrule.html")
contains "$P" 'govuk-error-summary.*There is a problem.*<a href="#links">[^<]*CPW[^<]*\(R-CPN-002\)</a>' "rule refusal in the error summary, linked to the field"
contains "$P" '<p id="links-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> [^<]*\(R-CPN-002\)</p>' "rule refusal beside the field"
contains "$P" 'name="by" type="text" value="PC &lt;1&gt;"' "typed value kept (escaped)"
contains "$P" '>Keep the dog in</textarea>' "conditions kept"
contains "$P" 'name="issued-time" type="text" inputmode="numeric" value="00:30"' "date part kept"
contains "$P" '<title>Error: ' "title says Error"
req postdate --data-urlencode power=cpw --data-urlencode "subject=$LONE" \
    --data-urlencode issued-day=31 --data-urlencode issued-month=2 --data-urlencode issued-year=2025 \
    --data-urlencode "csrf=$NTOK" "$WEB_URL/records"
[ "$ST" = 400 ] && ok || bad "POST /records bad date: $ST"
contains "$(cat "$WORK/postdate.html")" '<a href="#issued">issued: 2025-02-31: February has 28 days' "bad date message"
unchanged "$R" "$before" "refused POST /records"
# recorded: a CPW, then a CPN that follows it on its own; 303 to the record
req postcpw --data-urlencode power=cpw --data-urlencode "subject=$LONE" --data-urlencode "by=PC 9" \
    --data-urlencode "conditions=Stop the noise" --data-urlencode issued="$(date -d '2 hours ago' +%Y-%m-%dT%H:%M)" \
    --data-urlencode "csrf=$NTOK" "$WEB_URL/records"
[ "$ST" = 303 ] && ok || bad "POST /records cpw: $ST $(cat "$WORK/postcpw.html" | tr -d '\n' | grep -o 'govuk-error-summary.*' | cut -c1-300)"
LCPW=$(hdr postcpw | sed -n 's|^Location: /records/\(R[0-9]*\)$|\1|p')
contains "$LCPW" '^R[0-9]+$' "303 to /records/RID"
audit_has "pc\.1 +collection +add +$LCPW $LONE" "the record collected under pc.1"
contains "$("$ASBREG" show "$LCPW")" 'by          PC 9' "stored as asbreg add would"
req postcpn --data-urlencode power=cpn --data-urlencode "subject=$LONE" --data-urlencode "by=PC 9" \
    --data-urlencode issued="$(date -d '1 hour ago' +%Y-%m-%dT%H:%M)" \
    --data-urlencode "csrf=$NTOK" "$WEB_URL/records"
[ "$ST" = 303 ] && ok || bad "POST /records cpn after the cpw: $ST"
LCPN=$(hdr postcpn | sed -n 's|^Location: /records/\(R[0-9]*\)$|\1|p')
contains "$("$ASBREG" show "$LCPN")" "follows +$LCPW" "the CPN follows the CPW"

# the event form: on the record's page; POST /records/ID/events through reg_event_add
req lrec "$WEB_URL/records/$LCPN"
L=$(tr -d '\n' <"$WORK/lrec.html")
contains "$L" "<form method=\"post\" action=\"/records/$LCPN/events\" novalidate>" "record: the event form"
contains "$L" 'name="date-day".*name="until-day".*name="amount".*name="note"' "event form: the event's fields"
ETOK=$(csrf lrec)
snapshot "$R"; before=$SNAP
req evnocsrf --data-urlencode kind=breached --data-urlencode "date=$(date +%F)" "$WEB_URL/records/$LCPN/events"
[ "$ST" = 403 ] && ok || bad "POST events without csrf: $ST"
# a breach of a CPW is refused (R-BRE-001): beside the kind, the note kept
req evrule --data-urlencode kind=breached --data-urlencode "date=$(date +%F)" \
    --data-urlencode "note=Seen <again>" --data-urlencode "csrf=$ETOK" "$WEB_URL/records/$LCPW/events"
[ "$ST" = 400 ] && ok || bad "POST a breach of a CPW: $ST"
E=$(tr -d '\n' <"$WORK/evrule.html")
contains "$E" '<a href="#kind">[^<]*\(R-BRE-001\)</a>' "event refusal in the summary"
contains "$E" '<p id="kind-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> [^<]*\(R-BRE-001\)' "event refusal beside the kind"
contains "$E" '>Seen &lt;again&gt;</textarea>' "event: the note kept, escaped"
contains "$E" '<option value="breached" selected>' "event: the kind kept"
req evnodate --data-urlencode kind=breached --data-urlencode "csrf=$ETOK" "$WEB_URL/records/$LCPN/events"
[ "$ST" = 400 ] && ok || bad "POST an event with no date: $ST"
contains "$(cat "$WORK/evnodate.html")" 'Enter the date it happened' "no date message"
req evkind --data-urlencode kind=nosuch --data-urlencode "date=$(date +%F)" --data-urlencode "csrf=$ETOK" "$WEB_URL/records/$LCPN/events"
contains "$(cat "$WORK/evkind.html")" 'Choose what happened from the list' "no such kind message"
req ev404 --data-urlencode kind=breached --data-urlencode "date=$(date +%F)" --data-urlencode "csrf=$ETOK" "$WEB_URL/records/R999999/events"
[ "$ST" = 404 ] && ok || bad "POST events to no such record: $ST"
unchanged "$R" "$before" "refused events"
T30=$(date -d '30 minutes ago' '+%d %m %Y %H:%M')
req evok --data-urlencode kind=breached --data-urlencode date-day="${T30%% *}" \
    --data-urlencode date-month="$(echo "$T30" | cut -d' ' -f2)" \
    --data-urlencode date-year="$(echo "$T30" | cut -d' ' -f3)" \
    --data-urlencode date-time="${T30##* }" --data-urlencode "by=PC 9" --data-urlencode "csrf=$ETOK" \
    "$WEB_URL/records/$LCPN/events"
[ "$ST" = 303 ] && ok || bad "POST a breach of the CPN: $ST $(tr -d '\n' <"$WORK/evok.html" | grep -o 'govuk-error-summary.*' | cut -c1-300)"
contains "$(hdr evok)" "^Location: /records/$LCPN\$" "event: 303 to the record"
contains "$("$ASBREG" show "$LCPN")" 'breached' "the breach stored"
audit_has "pc\.1 +alteration +event +$LCPN" "the event audited under pc.1"

# due and repeat, as the command line's
DUE=$("$ASBREG" add cpw --subject "$ZOE" --by "PC 1" --expires "$(date -d '10 days' +%F)") || bad "add cpw due"
req due "$WEB_URL/due"
[ "$ST" = 200 ] && ok || bad "GET /due: $ST"
headers due "GET /due"
contains "$(hdr due)" '^Cache-Control: no-store$' "due: no-store"
D=$(tr -d '\n' <"$WORK/due.html")
contains "$D" "<td class=\"govuk-table__cell\">expiry</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/records/$DUE\">$DUE</a>" "due: the expiry in 10 days"
contains "$D" 'Zoë &lt;b&gt;O&#39;Brien' "due: the subject escaped"
audit_has "pc\.1 +consultation +due +.*$DUE" "due is a consultation naming the record"
req due5 "$WEB_URL/due?days=5"
lacks "$(cat "$WORK/due5.html")" "href=\"/records/$DUE\"" "due in 5 days: not the one in 10"
snapshot "$R"; before=$SNAP
req duebad "$WEB_URL/due?days=0"
[ "$ST" = 400 ] && ok || bad "GET /due?days=0: $ST"
contains "$(cat "$WORK/duebad.html")" 'Days must be a whole number from 1 to 366' "due: bad days message"
req repbad "$WEB_URL/repeat?months=x"
[ "$ST" = 400 ] && ok || bad "GET /repeat?months=x: $ST"
contains "$(cat "$WORK/repbad.html")" 'Months must be a whole number from 1 to 120' "repeat: bad months message"
unchanged "$R" "$before" "refused due and repeat pages"
req rep "$WEB_URL/repeat"
[ "$ST" = 200 ] && ok || bad "GET /repeat: $ST"
P=$(tr -d '\n' <"$WORK/rep.html")
contains "$P" "repeat subject</td><td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/subjects/$YOUNG\">Young &lt;i&gt;Person&lt;/i&gt;</a> \\($YOUNG\\)</td><td class=\"govuk-table__cell\">person</td><td class=\"govuk-table__cell\">3<" "repeat: the subject with 3 records"
audit_has "pc\.1 +consultation +repeat +.*$YOUNG" "repeat is a consultation naming the subject"
req rep4 "$WEB_URL/repeat?min=4"
lacks "$(cat "$WORK/rep4.html")" "href=\"/subjects/$YOUNG\"" "repeat with at least 4: not the one with 3"

# the audit log: supervisors, auditors and the data team; an officer is refused, and that
# refusal is logged; users: the data team only
req audoff "$WEB_URL/audit"
[ "$ST" = 403 ] && ok || bad "an officer's GET /audit: $ST"
contains "$(cat "$WORK/audoff.html")" 'R-ROLE-001' "officer refused the audit page: the rule"
headers audoff "403 audit"
lacks "$(cat "$WORK/audoff.html")" 'login refused' "the refusal page shows no entries"
audit_has 'pc\.1 +alteration +audit +.*R-ROLE-001' "the officer's refusal logged"
req usersoff "$WEB_URL/users"
[ "$ST" = 403 ] && ok || bad "an officer's GET /users: $ST"
web_user "$R" aud.1 auditor 'auditor passphrase' totp || bad "web_user aud.1"
AUDSECRET=$WEB_SECRET
web_user "$R" dt.1 data-team 'data team passphrase' totp || bad "web_user dt.1"
DTSECRET=$WEB_SECRET
J0=$J
J=$WORK/jar-aud
req alogin "$WEB_URL/login"
req asignin --data-urlencode username=aud.1 --data-urlencode 'password=auditor passphrase' \
    --data-urlencode "code=$(oathtool --totp -b "$AUDSECRET")" --data-urlencode "csrf=$(csrf alogin)" \
    "$WEB_URL/login"
[ "$ST" = 303 ] && ok || bad "auditor signs in: $ST"
req aud "$WEB_URL/audit"
[ "$ST" = 200 ] && ok || bad "an auditor's GET /audit: $ST"
contains "$(grep -o "<ul class=\"govuk-service-navigation__list.*</ul>" "$WORK/aud.html")" "href=\"/audit\" aria-current=\"page\">Audit log</a>" "the auditor's menu has the audit log"
lacks "$(cat "$WORK/audoff.html")" 'href="/audit"' "an officer's menu has no audit log"
headers aud "GET /audit"
A=$(tr -d '\n' <"$WORK/aud.html")
contains "$A" '<td class="govuk-table__cell">pc.1</td><td class="govuk-table__cell">alteration</td><td class="govuk-table__cell">audit</td>' "audit page: the officer's refusal listed"
req audu "$WEB_URL/audit?user=aud.1"
lacks "$(cat "$WORK/audu.html")" '<td class="govuk-table__cell">pc.1</td>' "audit filtered by user: no pc.1"
contains "$(cat "$WORK/audu.html")" '<td class="govuk-table__cell">aud.1</td>' "audit filtered by user: aud.1"
req auds "$WEB_URL/audit?subject=$LONE"
AS=$(tr -d '\n' <"$WORK/auds.html")
contains "$AS" "$LCPW $LONE" "audit filtered by subject: its collection"
lacks "$AS" ">$ZED<|$ZED " "audit filtered by subject: not another's"
req audd "$WEB_URL/audit?from=2000-01-01&to=2000-12-31"
contains "$(cat "$WORK/audd.html")" 'No entries match' "audit filtered by dates"
req audbad "$WEB_URL/audit?from=yesterday&subject=X1"
[ "$ST" = 400 ] && ok || bad "GET /audit with bad filters: $ST"
contains "$(cat "$WORK/audbad.html")" 'From must be a day as YYYY-MM-DD.*About subject must be a subject ID' "audit: bad filter messages"
req ausers "$WEB_URL/users"
[ "$ST" = 403 ] && ok || bad "an auditor's GET /users: $ST"
req arec "$WEB_URL/records/$LCPN"
[ "$ST" = 200 ] && ok || bad "an auditor's GET /records/ID: $ST"
lacks "$(cat "$WORK/arec.html")" 'action="/records/[^"]*/events"' "an auditor sees no event form"
req aev --data-urlencode kind=breached --data-urlencode "date=$(date +%F)" \
    --data-urlencode "csrf=$(csrf arec)" "$WEB_URL/records/$LCPN/events"
[ "$ST" = 403 ] && ok || bad "an auditor's POST of an event: $ST"
contains "$(cat "$WORK/aev.html")" 'R-ROLE-001' "auditor refused an event: the rule"
req anew "$WEB_URL/records/new?power=cpw&subject=$LONE"
[ "$ST" = 403 ] && ok || bad "an auditor's GET /records/new: $ST"
J=$WORK/jar-dt
req dlogin "$WEB_URL/login"
req dsignin --data-urlencode username=dt.1 --data-urlencode 'password=data team passphrase' \
    --data-urlencode "code=$(oathtool --totp -b "$DTSECRET")" --data-urlencode "csrf=$(csrf dlogin)" \
    "$WEB_URL/login"
req dusers "$WEB_URL/users"
[ "$ST" = 200 ] && ok || bad "the data team's GET /users: $ST"
contains "$(tr -d '\n' <"$WORK/dusers.html")" '<td class="govuk-table__cell">pc.1</td><td class="govuk-table__cell">officer</td>.*<td class="govuk-table__cell">sup.1</td><td class="govuk-table__cell">supervisor</td>' "users and roles listed"
J=$J0

# sign-out needs its form token; then the session is gone on the server
HOMETOK=$(csrf home)
snapshot "$R"; before=$SNAP
req outnocsrf -X POST --data x=1 "$WEB_URL/logout"
[ "$ST" = 403 ] && ok || bad "POST /logout without csrf: $ST"
unchanged "$R" "$before" "POST /logout without csrf"
req still "$WEB_URL/"
[ "$ST" = 200 ] && ok || bad "the session after a refused sign-out: $ST"
req out --data-urlencode "csrf=$HOMETOK" "$WEB_URL/logout"
[ "$ST" = 303 ] && ok || bad "POST /logout: $ST"
contains "$(hdr out)" '^Location: /login$' "sign-out goes to /login"
contains "$(hdr out)" '^Set-Cookie: __Host-asb-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0$' "sign-out clears the cookie"
audit_has 'pc\.1 +alteration +logout +logout: session ended' "sign-out audited"
ST=$(curl -s --cacert "$WEB_CA" -H "Cookie: __Host-asb-session=$SESSION" -o /dev/null \
    -D "$WORK/after.h" -w '%{http_code}' "$WEB_URL/find?q=zo")
[ "$ST" = 303 ] && ok || bad "the old session after sign-out: $ST"
contains "$(hdr after)" '^Location: /login$' "the old session goes to /login"
ST=$(curl -s --cacert "$WEB_CA" -H "Cookie: __Host-asb-session=$SESSION" -o /dev/null \
    -w '%{http_code}' --data "csrf=$HOMETOK" "$WEB_URL/logout")
[ "$ST" = 403 ] && ok || bad "POST with the old session: $ST"

# a code works once: the same one again is refused (RFC 6238 section 5.2)
req login3 "$WEB_URL/login"
req replay --data-urlencode username=pc.1 --data-urlencode 'password=correct horse battery' \
    --data-urlencode "code=$CODE" --data-urlencode "csrf=$(csrf login3)" "$WEB_URL/login"
contains "$(cat "$WORK/replay.html")" 'R-LOGIN-001' "a code used twice refused"
lacks "$(hdr replay)" '__Host-asb-session=[0-9a-f]' "no session for a code used twice"
audit_has 'pc\.1 .*login refused \(R-LOGIN-001\): code used already' "a code used twice audited"

# the lock: pc.2, 5 wrong passwords (each answer slower), then even the right one is refused
req login2 "$WEB_URL/login"
TOK=$(csrf login2)
t0=$(date +%s)
i=1
while [ $i -le 5 ]; do
	req lock$i --data-urlencode username=pc.2 --data-urlencode "password=wrong guess $i" \
	    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
	i=$((i + 1))
done
t1=$(date +%s)
[ $((t1 - t0)) -ge 7 ] && ok || bad "5 failures answered in $((t1 - t0)) s: no slowing (0.25+0.5+1+2+4 s)"
contains "$(cat "$WORK/lock5.html")" 'account is locked.*\(R-LOGIN-002\)' "locked at the 5th failure"
req locked --data-urlencode username=pc.2 --data-urlencode 'password=another long passphrase' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
contains "$(cat "$WORK/locked.html")" 'R-LOGIN-002' "the right password while locked"
lacks "$(hdr locked)" '__Host-asb-session=[0-9a-f]' "no session while locked"
[ "$(audit_count 'pc\.2 .*login refused')" -eq 6 ] && ok || bad "want 6 refusals of pc.2 audited: $(audit_count 'pc\.2 .*login refused')"
audit_has 'pc\.2 .*login refused \(R-LOGIN-002\): wrong password; failure 5 of 5, account locked' "the lock audited"
audit_has 'pc\.2 .*login refused \(R-LOGIN-002\): account locked' "an attempt while locked audited"
sleep 6
req unlocked --data-urlencode username=pc.2 --data-urlencode 'password=another long passphrase' \
    --data-urlencode "csrf=$TOK" "$WEB_URL/login"
[ "$ST" = 303 ] && ok || bad "after the lock ran out: $ST"

# idle timeout (4 s here): the session is ended on the server
req idle1 "$WEB_URL/"
[ "$ST" = 200 ] && ok || bad "pc.2 signed in: $ST"
sleep 5
req idle2 "$WEB_URL/"
[ "$ST" = 303 ] && ok || bad "after the idle timeout: $ST"
contains "$(hdr idle2)" '^Location: /login$' "idle session goes to /login"

# the command line and the server on the same register at once: a record added by the
# command line while the server runs is on the next page
req login5 "$WEB_URL/login"
req again --data-urlencode username=pc.2 --data-urlencode 'password=another long passphrase' \
    --data-urlencode "csrf=$(csrf login5)" "$WEB_URL/login"
[ "$ST" = 303 ] && ok || bad "pc.2 again: $ST"
NEW=$("$ASBREG" add cpw --subject "$ZOE" --by "PC 2" --conditions "Keep the gate shut") ||
	bad "asbreg add while the server runs"
req fresh "$WEB_URL/"
contains "$(cat "$WORK/fresh.html")" "href=\"/records/$NEW\"" "the server sees the command line's record"
web_stop && ok || bad "web_stop"
file_lacks "$WEB_LOG" 'AddressSanitizer|LeakSanitizer|runtime error' "a sanitizer report in the server's log"

# privilege drop: binds and loads its key as root, then runs as nobody, who owns the register
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	PD=$(mktemp -d /tmp/asbweb-user.XXXXXX)
	chmod 755 "$PD"
	cp -a "$R" "$PD/reg"
	chown -R nobody "$PD/reg"
	exits 2 "--user with no such user" "$ASBREG" -d "$PD/reg" serve --listen 127.0.0.1:0 \
	    --cert "$WORK/pki/web.crt" --key "$WORK/pki/web.key" --user nosuchuser
	contains "$ERR" "no user 'nosuchuser'" "--user nosuchuser message"
	if web_start "$PD/reg" "$WORK/pki" --user nobody; then ok; else bad "serve --user nobody"; fi
	uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$WEB_PID/status" 2>/dev/null)
	nob=$(id -u nobody)
	[ "$uid" = "$nob$nob$nob$nob" ] && ok || bad "serve --user nobody runs as uid '$uid'"
	rm -f "$J"
	req login4 "$WEB_URL/login"
	req asnobody --data-urlencode username=pc.2 --data-urlencode 'password=another long passphrase' \
	    --data-urlencode "csrf=$(csrf login4)" "$WEB_URL/login"
	[ "$ST" = 303 ] && ok || bad "sign-in to a server running as nobody: $ST"
	req nobodyhome "$WEB_URL/"
	[ "$ST" = 200 ] && ok || bad "a page from a server running as nobody: $ST"
	web_stop && ok || bad "web_stop (nobody)"
	rm -rf "$PD"
fi
finish
