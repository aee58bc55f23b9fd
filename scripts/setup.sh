#!/usr/bin/env bash
# Installs what building Toile needs, skipping what is already there. With --tests, also what
# the tests need (Chromium and its driver, the calendar checks' and Lighthouse's Node packages,
# schemathesis).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "wasm32 target: present"
else
  step "wasm32 target: adding (about 30 s)"
  rustup target add wasm32-unknown-unknown
fi

if cargo leptos --version 2>/dev/null | grep -q '0\.3\.8'; then
  step "cargo-leptos 0.3.8: present"
else
  # 0.3.9 and later need a newer rustc than 1.95.
  step "cargo-leptos 0.3.8: installing (about 15 min on 2 cores, once per machine)"
  cargo install cargo-leptos --version 0.3.8 --locked
fi

bindgen=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if wasm-bindgen --version 2>/dev/null | grep -q " $bindgen\$"; then
  step "wasm-bindgen-cli $bindgen: present"
else
  # Not --locked: one of its locked dependencies is no longer on crates.io.
  step "wasm-bindgen-cli $bindgen: installing (about 2 min)"
  cargo install wasm-bindgen-cli --version "$bindgen"
fi

# wasm-opt for release builds, pinned (tools/binaryen): Debian's binaryen 108 breaks the bundle.
if tools/binaryen/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version 132"; then
  step "wasm-opt 132 (binaryen, npm): present"
else
  step "wasm-opt 132 (binaryen, npm): installing"
  npm ci --prefix tools/binaryen --no-audit --no-fund >/dev/null
fi

if [ "${1:-}" = "--tests" ]; then
  if have chromium && have chromedriver; then
    step "Chromium and ChromeDriver: present"
  else
    step "Chromium and ChromeDriver: installing"
    apt_install chromium chromium-driver
  fi
  if have pdftotext; then
    step "pdftotext (poppler-utils): present"
  else
    step "pdftotext (poppler-utils): installing, to read the sign-in sheets back"
    apt_install poppler-utils
  fi
  if [ -d server/calendar/tests/js ]; then
    if [ -d server/calendar/tests/js/node_modules ]; then
      step "calendar checks' Node packages: present"
    else
      step "calendar checks' Node packages: installing"
      npm ci --prefix server/calendar/tests/js --no-audit --no-fund >/dev/null
    fi
  fi
  if [ -d tests/lighthouse/node_modules/lighthouse ] && [ -f tests/lighthouse/node_modules/axe-core/axe.min.js ]; then
    step "Lighthouse and axe-core (Node packages): present"
  else
    step "Lighthouse and axe-core (Node packages): installing (about 30 s)"
    npm ci --prefix tests/lighthouse --no-audit --no-fund >/dev/null
  fi
  # The OpenAPI fuzzer of tests/tests/openapi.rs, in a virtual environment of its own outside
  # the clone (kept across clones and `cargo clean`); the test looks for it at the same place.
  schemathesis_version=4.32.0
  venv="${TOILE_SCHEMATHESIS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/toile/schemathesis-$schemathesis_version}"
  if "$venv/bin/st" --version 2>/dev/null | grep -q "version $schemathesis_version\$"; then
    step "schemathesis $schemathesis_version: present"
  else
    step "schemathesis $schemathesis_version: installing in $venv (about 30 s)"
    python=$(command -v python3.11 || command -v python3)
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" 2>/dev/null; then
      apt_install python3-venv
      python=/usr/bin/python3
      rm -rf "$venv"
      "$python" -m venv "$venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
  fi
  # A real SMTP server for the e-mail tests (tests/src/smtp.rs), in a virtual environment of its
  # own beside schemathesis's.
  aiosmtpd_version=1.4.6
  smtp_venv="${TOILE_AIOSMTPD_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/toile/aiosmtpd-$aiosmtpd_version}"
  if "$smtp_venv/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$aiosmtpd_version')" 2>/dev/null; then
    step "aiosmtpd $aiosmtpd_version: present"
  else
    step "aiosmtpd $aiosmtpd_version: installing in $smtp_venv (about 10 s)"
    python=$(command -v python3.11 || command -v python3)
    rm -rf "$smtp_venv"
    "$python" -m venv "$smtp_venv" 2>/dev/null || { apt_install python3-venv; /usr/bin/python3 -m venv "$smtp_venv"; }
    "$smtp_venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$aiosmtpd_version"
  fi
fi
