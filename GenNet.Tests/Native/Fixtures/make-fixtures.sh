#!/usr/bin/env bash
# Rebuilds the small ELF fixtures the native-loading tests use (committed, so the tests need no compiler).
# They model TorchSharp 0.107's problem in miniature: a library needs a symbol version (PROV_2.0) that an older
# provider lacks, once only through an unrelocated marker symbol (like GCC 13's std::ios_base_library_init) and once
# through a symbol it really calls.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

cat > "$work/provider.c" <<'C'
int used(void) { return 41; }
void marker(void) { }
C
printf 'PROV_1.0 { global: used; local: *; };\nPROV_2.0 { global: marker; } PROV_1.0;\n' > "$work/new.map"
printf 'PROV_1.0 { global: used; local: *; };\n' > "$work/old.map"
cat > "$work/provider-old.c" <<'C'
int used(void) { return 41; }
C
gcc -shared -fPIC -O1 -s -Wl,-soname,libprovider.so -Wl,--version-script="$work/new.map" -o "$work/libprovider.so" "$work/provider.c"

# The marker is declared global but never called or addressed, so no relocation refers to it: the version need
# exists only as a link-time record, exactly like TorchSharp's GLIBCXX_3.4.32.
cat > "$work/needs-marker.c" <<'C'
extern int used(void);
__asm__(".globl marker");
int answer(void) { return used() + 1; }
C
cat > "$work/needs-used.c" <<'C'
extern int used(void);
extern void marker(void);
int answer(void) { marker(); return used() + 1; }
C
gcc -shared -fPIC -O1 -s -Wl,-soname,libneeds-marker.so -o needs-marker.so "$work/needs-marker.c" -L"$work" -lprovider
gcc -shared -fPIC -O1 -s -Wl,-soname,libneeds-used.so -o needs-used.so "$work/needs-used.c" -L"$work" -lprovider
# The "system" provider: same soname, older: defines PROV_1.0 only.
gcc -shared -fPIC -O1 -s -Wl,-soname,libprovider.so -Wl,--version-script="$work/old.map" -o old/libprovider.so "$work/provider-old.c"
