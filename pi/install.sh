#!/usr/bin/env bash
# Install mnist-edge on a Raspberry Pi (Raspberry Pi OS Bookworm/Trixie, 64- or 32-bit). Never installs TensorFlow.
#   tar xzf mnist-edge-pi.tar.gz && cd mnist-edge-pi && ./install.sh
#   .venv/bin/python -m edge run --source picamera2 --kiosk
set -euo pipefail
cd "$(dirname "$0")"
sudo apt-get update
sudo apt-get install -y python3-venv python3-opencv python3-picamera2
# --system-site-packages: use apt's OpenCV and Picamera2 (libcamera bindings are not on PyPI)
python3 -m venv --system-site-packages .venv
if [ "$(getconf LONG_BIT)" = 64 ] && .venv/bin/pip install "ai-edge-litert"; then
  echo "interpreter: ai-edge-litert"
else
  # 32-bit images and older Pythons: the last tflite-runtime wheels need numpy < 2
  .venv/bin/pip install "tflite-runtime==2.14.0" "numpy<2"
  echo "interpreter: tflite-runtime"
fi
.venv/bin/python -m edge run --source samples/demo.mp4 --json | tail -n 1
echo "installed; try: .venv/bin/python -m edge run --source picamera2 --show"
echo "kiosk service: sudo cp mnist-edge.service /etc/systemd/system/ && sudo systemctl enable --now mnist-edge"
