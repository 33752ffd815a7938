#!/bin/sh
# torchstack-exec: how `torchstack exec` (and the probes) run a command in an environment: the same home
# set-up as the entrypoint (home-setup.sh: HOME, the caches, USER), then the command, as whoever the exec
# runs as (the image user).
set -eu
# Only a test copy of this file (TS_TEST_ROOT rewritten by the unit tests) reads these from elsewhere.
TS_TEST_ROOT=''
IMAGE_ENV=$TS_TEST_ROOT/etc/torchstack/image.env
HOME_SETUP=$TS_TEST_ROOT/usr/local/lib/torchstack/home-setup.sh
# shellcheck source=SCRIPTDIR/image.env.example
. "$IMAGE_ENV"
# shellcheck source=SCRIPTDIR/home-setup.sh
. "$HOME_SETUP"
setup_home
[ "$#" -gt 0 ] || set -- sh
exec "$@"
