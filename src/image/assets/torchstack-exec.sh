#!/bin/sh
# torchstack-exec: how `torchstack exec` (and the probes) run a command in an environment: the same home
# set-up as the entrypoint (home-setup.sh: HOME, the caches, USER), then the command, as whoever the exec
# runs as (the image user).
set -eu
IMAGE_ENV=${TORCHSTACK_IMAGE_ENV:-/etc/torchstack/image.env}
HOME_SETUP=${TORCHSTACK_HOME_SETUP:-/usr/local/lib/torchstack/home-setup.sh}
# shellcheck source=SCRIPTDIR/image.env.example
. "$IMAGE_ENV"
# shellcheck source=SCRIPTDIR/home-setup.sh
. "$HOME_SETUP"
setup_home
[ "$#" -gt 0 ] || set -- sh
exec "$@"
