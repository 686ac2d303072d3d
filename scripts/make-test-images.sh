#!/bin/sh
# Builds the offline test images (gantry-test/busybox:latest) under test/fixtures/images/build/
# from Debian's busybox-static; prints their paths. Idempotent. Needs root (device nodes).
set -e
cd "$(dirname "$0")/.."
exec node --import tsx test/helpers/test-images.ts
