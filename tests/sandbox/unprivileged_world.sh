#!/bin/sh
# Run by test_isolation as root inside `unshare --mount`: give uid 10001 an account, a subordinate range
# and a way to the interpreter (in this private mount namespace only), then run the pool as that user.
set -eu
repo="$1"; python="$2"; range_start="$3"
tmp=$(mktemp -d)
cp /etc/passwd "$tmp/passwd"; echo "tutorci:x:10001:10001::/nonexistent:/usr/sbin/nologin" >> "$tmp/passwd"
cp /etc/group "$tmp/group"; echo "tutorci:x:10001:" >> "$tmp/group"
echo "tutorci:$range_start:65536" > "$tmp/subuid"; echo "tutorci:$range_start:65536" > "$tmp/subgid"
for name in passwd group subuid subgid; do
    [ -e "/etc/$name" ] || exit 3
    mount --bind "$tmp/$name" "/etc/$name"
done
# An interpreter under /root (mode 0700) stays reachable: /root becomes a searchable tmpfs holding it.
real=$(readlink -f "$python")
case "$real" in
/root/*)
    top=$(echo "$real" | cut -d/ -f3)
    mkdir "$tmp/keep"; mount --bind "/root/$top" "$tmp/keep"
    mount -t tmpfs -o mode=0755 tmpfs /root; mkdir "/root/$top"; mount --bind "$tmp/keep" "/root/$top"
    ;;
esac
cd "$repo"
exec setpriv --reuid=10001 --regid=10001 --clear-groups --inh-caps=-all "$python" -m tests.sandbox.unprivileged_pool
