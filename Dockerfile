# Worker and CLI image: the project, its pinned dependencies and the Beam SDK harness, so the
# same image runs `python -m pipelines.clean` locally and serves as --sdk_container_image on
# Dataflow (or as the Docker environment of the Flink/Spark portable runners).
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
      zlib1g-dev libbz2-dev liblzma-dev \
    && rm -rf /var/lib/apt/lists/*

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

# torch first, from the CPU index: the default PyPI wheel pulls several GB of CUDA libraries.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -c constraints.txt . \
    && pip install --no-cache-dir --force-reinstall --no-deps fasttext-numpy2==0.10.4

# The Beam SDK harness entry point, from the matching official SDK image.
COPY --from=apache/beam_python3.11_sdk:2.77.0 /opt/apache/beam /opt/apache/beam
ENTRYPOINT ["/opt/apache/beam/boot"]
