"""Stage 4: train a Llama-style model with DeepSpeed ZeRO on the mixed token shards.

Seams (torchtitan's): `model` (the network, nothing else), `config` (the typed run config),
`engine` (DeepSpeed and the process group), `data` (the streaming loader), `checkpoint`, `schedule`,
`metrics`, and `loop`, the training step that calls them. Entry point: ``python -m train``.
"""
