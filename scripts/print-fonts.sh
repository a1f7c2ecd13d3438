# Sourced by demo.sh and test.sh: Debian's Noto fonts, so printed copies draw every
# script people commonly write in (Arabic and Urdu, Bengali, Gurmukhi, Gujarati,
# Devanagari, Tamil, Chinese…). Without them those scripts print as empty boxes and
# each copy says so next to the text. Needs root (or sudo-less apt) the first time only.
if [[ ! -d /usr/share/fonts/truetype/noto || ! -d /usr/share/fonts/opentype/noto ]]; then
  echo "Installing the print fonts (fonts-noto-core, fonts-noto-cjk) from Debian…"
  if ! { apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null; }; then
    echo "Could not install fonts-noto-core and fonts-noto-cjk (run as root, or install them" \
         "yourself). PDFs are still made; text in scripts those fonts draw prints as boxes," \
         "with a note on the page." >&2
  fi
fi
