/**
 * The installer the image's wheel layers run: uv, itself a wheel from the Python
 * index, locked by sha256 like every other wheel (layer "installer"), so it needs
 * no container registry or release download and works behind any PyPI mirror.
 * uv downloads and unpacks a layer's wheels in parallel and checks every hash, as
 * `pip install --require-hashes` does; on a 2-core machine it installed torch
 * 2.14.1's 32 CUDA wheels in 33 s where pip took 52 s (docs/bench/bench-cuda-image.md).
 * The range keeps the command-line flags the render uses stable; a newer uv 0.x
 * arrives by widening it here, tested. An index without uv (an old mirror) gives
 * a wheel set without an installer, and the image installs with pip as before.
 */
export const INSTALLER_NAME = "uv";
export const INSTALLER_REQUIREMENT = "uv>=0.9,<0.14";
