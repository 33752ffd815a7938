// etcd for the local control plane: the etcd server module's own entry point (etcdmain), built from the
// release pinned in ../../go.mod.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
