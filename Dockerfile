# Two images. The last stage, `worker`, is the default (`docker build .`); `gpu` is the trainer for
# GPU machines: `docker build --target gpu -t headwater-gpu .`

# -- source: the project's files both images install, listed once ---------------------------------
FROM scratch AS source
WORKDIR /opt/headwater
COPY pyproject.toml constraints.txt setup.py README.md ./
COPY common common
COPY formats formats
COPY corpus corpus
COPY pipelines pipelines
COPY tokenization tokenization
COPY mixer mixer
COPY train train
COPY configs configs

# -- gpu: CUDA, torch's CUDA build, flash-attn compiled against it --------------------------------
# The base image's CUDA toolkit must match the CUDA major version of the torch wheel (check with
# `python -c "import torch; print(torch.version.cuda)"`): flash-attn compiles its kernels with that
# nvcc. Building flash-attn takes a while; MAX_JOBS bounds its memory (about 4 GB per job).
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-devel-ubuntu22.04
FROM ${CUDA_IMAGE} AS gpu
ARG MAX_JOBS=8
ENV DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1 PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends software-properties-common \
      build-essential ninja-build git zlib1g-dev libbz2-dev liblzma-dev \
    && add-apt-repository -y ppa:deadsnakes/ppa && apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-dev python3.11-venv \
    && rm -rf /var/lib/apt/lists/* \
    && python3.11 -m venv /opt/venv

WORKDIR /opt/headwater
COPY --from=source /opt/headwater ./
# the GPU checks' synthetic token shards (devkit.token_source): a development tool, so only here
COPY devkit devkit
COPY bench/gpu_check.sh bench/train_speed.py bench/harness.py bench/
COPY tests/__init__.py tests/
COPY tests/gpu tests/gpu

# torch from PyPI is its CUDA build on Linux; flash-attn (the `gpu` extra) builds against it, so
# without build isolation.
RUN pip install --upgrade pip && pip install torch==2.13.0 \
    && pip install -c constraints.txt . pytest==9.2.0 \
    && pip install --force-reinstall --no-deps fasttext-numpy2==0.10.4 \
    && MAX_JOBS=${MAX_JOBS} pip install --no-build-isolation -c constraints.txt "flash-attn==2.8.3.post2" \
    && python -c "import flash_attn, torch; print('flash-attn', flash_attn.__version__, 'torch', torch.__version__)"

# One node: torchrun --nproc_per_node 8 -m train --mix ... ; the GPU check: PY=python bash bench/gpu_check.sh
CMD ["python", "-m", "train", "--help"]

# -- worker: the CPU image for Stage 1 on Beam runners (default target) ---------------------------
# Worker and CLI image: the project, its pinned dependencies and the Beam SDK harness, so the
# same image runs `python -m pipelines.clean` locally and serves as --sdk_container_image on
# Dataflow (or as the Docker environment of the Flink/Spark portable runners).
FROM python:3.11-slim AS worker

RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
      zlib1g-dev libbz2-dev liblzma-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/headwater
COPY --from=source /opt/headwater ./

# torch first, from the CPU index: the default PyPI wheel pulls several GB of CUDA libraries.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -c constraints.txt . \
    && pip install --no-cache-dir --force-reinstall --no-deps fasttext-numpy2==0.10.4

# The Beam SDK harness entry point, from the matching official SDK image.
COPY --from=apache/beam_python3.11_sdk:2.77.0 /opt/apache/beam /opt/apache/beam
ENTRYPOINT ["/opt/apache/beam/boot"]
