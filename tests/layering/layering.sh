#!/bin/bash
# Layering check: nn/ is the bottom layer, then pinn/, sampling/ and solvers/. Every #include of an
# nnpde header in a layer's sources (and in the headers of that layer) must come from a layer it
# may use:
#   nn/        nn/ headers only
#   pinn/      no solvers/ headers
#   sampling/  no solvers/ headers
#   solvers/   any layer, but not the nn/ private header nnpde/private/nnimpl.h (network types, such
#              as cnn3d, live in nn/impls/; solvers use them through their public headers)
# Every header under include/nnpde/ must be listed below, so a new header is placed in a layer.
# Usage: layering.sh <source root>. Prints each violation; exits 1 if there is any.
root=${1:?usage: layering.sh <source root>}
cd "$root" || exit 2

declare -A layer=(
  [nnpde/sys.h]=nn [nnpde/random.h]=nn [nnpde/nn.h]=nn [nnpde/adam.h]=nn [nnpde/train.h]=nn
  [nnpde/checkpoint.h]=nn [nnpde/cnn3d.h]=nn [nnpde/private/nnimpl.h]=nn [nnpde/private/checkpointimpl.h]=nn
  [nnpde/krnet.h]=nn
  [nnpde/geometry.h]=pinn [nnpde/pinn.h]=pinn [nnpde/private/pinnimpl.h]=pinn [nnpde/private/geometryimpl.h]=pinn
  [nnpde/sampler.h]=sampling [nnpde/private/samplerimpl.h]=sampling [nnpde/private/samplerflowimpl.h]=sampling [nnpde/private/quasirandomimpl.h]=sampling
  [nnpde/solvers.h]=solvers [nnpde/dcdm.h]=solvers [nnpde/dcdm_train.h]=solvers [nnpde/poisson3d.h]=solvers
  [nnpde/reference.h]=solvers [nnpde/private/dcdmimpl.h]=solvers
  [nnpde/private/reference1dimpl.h]=solvers [nnpde/deprecated.h]=solvers
  [nnpde.h]=all
)
# which layers each layer may include
declare -A allowed=([nn]="nn" [pinn]="nn pinn sampling" [sampling]="nn pinn sampling" [solvers]="nn pinn sampling solvers")
# headers a layer may not include although their layer is allowed
declare -A forbidden=([solvers]="nnpde/private/nnimpl.h")

fail=0
# every header is classified
while IFS= read -r h; do
  key=${h#include/}
  if [ -z "${layer[$key]}" ]; then
    echo "layering: $h is in no layer: add it to the table in tests/layering/layering.sh"
    fail=1
  fi
done < <(find include -name '*.h' | sort)

# check(file, layer): the file's nnpde includes (<...> or "...") against the layer's allowed set
check() {
  local f=$1 l=$2 line inc il
  while IFS= read -r line; do
    inc=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*)[>"].*/\1/' <<<"${line#*:}")
    case $inc in
    nnpde.h | nnpde/*) ;;
    */nn/* | */pinn/* | */sampling/* | */solvers/* | nn/* | pinn/* | sampling/* | solvers/*)
      echo "layering: $f:${line%%:*}: includes source-tree path \"$inc\""
      fail=1
      continue
      ;;
    *) continue ;;
    esac
    il=${layer[$inc]}
    if [[ " ${forbidden[$l]} " == *" $inc "* ]]; then
      echo "layering: $f:${line%%:*}: the $l layer includes the private header $inc"
      fail=1
    elif [ -z "$il" ]; then
      echo "layering: $f:${line%%:*}: includes $inc, which is in no layer"
      fail=1
    elif [ "$il" = all ] || [[ " ${allowed[$l]} " != *" $il "* ]]; then
      echo "layering: $f:${line%%:*}: the $l layer includes $inc from the ${il/all/whole-library umbrella} layer"
      fail=1
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f")
}

nfiles=0
for l in nn pinn sampling solvers; do
  for f in $(find "$l" -name '*.c' -o -name '*.h' | sort); do
    check "$f" "$l"
    nfiles=$((nfiles + 1))
  done
  for key in "${!layer[@]}"; do
    if [ "${layer[$key]}" = "$l" ] && [ -f "include/$key" ]; then
      check "include/$key" "$l"
      nfiles=$((nfiles + 1))
    fi
  done
done

if [ $fail -ne 0 ]; then
  echo "layering: FAILED"
  exit 1
fi
echo "layering: $nfiles files of nn/, pinn/, sampling/, solvers/ and their headers include only what their layer may use"
