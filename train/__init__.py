"""Stage 4: train a Llama-style model with DeepSpeed ZeRO on the mixed token shards.

Seams (torchtitan's): `model` (the network, nothing else), `config` (the typed run config),
`engine` (DeepSpeed and the process group), `data` (the streaming loader), `checkpoint`, `schedule`,
`stability` (the spike guard), `flops` (FLOPs per token, MFU), `metrics`, `plan` (what a run
costs), and `loop`, the training step that calls them. Entry points: ``python -m train`` and
``python -m train plan``; under ``torchrun``/``deepspeed`` on many GPUs (README).
"""
