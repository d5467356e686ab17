"""Ground truth from diffusers models: do they export, and which Dim.AUTO dims get baked in.

Tiny models built from their classes' constructors (no weights downloaded), each exported
strict, non-strict and non-strict with Dim.AUTO on the main input's spatial (or sequence)
dims, on the installed torch. Failures record the innermost diffusers frame (as
real_models.py does for transformers); AUTO runs record which AUTO dims export specialised.
Run it with a Python that has torch and diffusers (not exportlint's venv):

    /work/rm-venv/bin/python bench/diffusers_models.py        # writes bench/diffusers_models.json

Two settings are the harness's, not the models': PixArt's `added_cond_kwargs` input (a dict)
has no AUTO spec here, and FluxTransformer2DModel's `img_ids` / ControlNetModel's
`controlnet_cond` stay static, so the dims that must equal theirs are specialised.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import sys
import time
import warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_models as rm  # noqa: E402  (the shared export and error-description helpers)

OUT = Path(__file__).resolve().parent / "diffusers_models.json"


def t(*shape):
    return torch.randn(*shape)


def unet2dcond():
    from diffusers import UNet2DConditionModel

    m = UNet2DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=32, attention_head_dim=8, norm_num_groups=32,
    )
    inputs = dict(sample=t(1, 4, 8, 8), timestep=torch.tensor([10]), encoder_hidden_states=t(1, 7, 32))
    return m, inputs, "sample", (2, 3)


def unet2d():
    from diffusers import UNet2DModel

    m = UNet2DModel(
        sample_size=8, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("DownBlock2D", "AttnDownBlock2D"), up_block_types=("AttnUpBlock2D", "UpBlock2D"),
        norm_num_groups=32,
    )
    return m, dict(sample=t(1, 3, 8, 8), timestep=torch.tensor([10])), "sample", (2, 3)


def vae():
    from diffusers import AutoencoderKL

    m = AutoencoderKL(
        in_channels=3, out_channels=3, block_out_channels=(32, 64), down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2, latent_channels=4, norm_num_groups=32, sample_size=16,
    )
    return m, dict(sample=t(1, 3, 16, 16)), "sample", (2, 3)


def sd3():
    from diffusers import SD3Transformer2DModel

    m = SD3Transformer2DModel(
        sample_size=8, patch_size=2, in_channels=4, num_layers=1, attention_head_dim=8, num_attention_heads=2,
        joint_attention_dim=32, caption_projection_dim=16, pooled_projection_dim=16, out_channels=4,
    )
    inputs = dict(hidden_states=t(1, 4, 8, 8), encoder_hidden_states=t(1, 7, 32), pooled_projections=t(1, 16),
                  timestep=torch.tensor([10]))
    return m, inputs, "hidden_states", (2, 3)


def flux():
    from diffusers import FluxTransformer2DModel

    m = FluxTransformer2DModel(
        patch_size=1, in_channels=4, num_layers=1, num_single_layers=1, attention_head_dim=16,
        num_attention_heads=2, joint_attention_dim=32, pooled_projection_dim=32, axes_dims_rope=(4, 4, 8),
    )
    inputs = dict(hidden_states=t(1, 16, 4), encoder_hidden_states=t(1, 7, 32), pooled_projections=t(1, 32),
                  timestep=torch.tensor([1.0]), img_ids=t(16, 3), txt_ids=t(7, 3))
    return m, inputs, "hidden_states", (1,)


def dit():
    from diffusers import DiTTransformer2DModel

    m = DiTTransformer2DModel(
        num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=4, num_layers=1, sample_size=8,
        patch_size=2, norm_num_groups=32, num_embeds_ada_norm=10,
    )
    inputs = dict(hidden_states=t(1, 4, 8, 8), timestep=torch.tensor([1]), class_labels=torch.tensor([1]))
    return m, inputs, "hidden_states", (2, 3)


def pixart():
    from diffusers import PixArtTransformer2DModel

    m = PixArtTransformer2DModel(
        num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=1, sample_size=8,
        patch_size=2, cross_attention_dim=16, caption_channels=32, norm_num_groups=32,
    )
    inputs = dict(hidden_states=t(1, 4, 8, 8), encoder_hidden_states=t(1, 7, 32), timestep=torch.tensor([1]),
                  added_cond_kwargs={"resolution": None, "aspect_ratio": None})
    return m, inputs, "hidden_states", (2, 3)


def tiny_vae():
    from diffusers import AutoencoderTiny

    m = AutoencoderTiny(
        in_channels=3, out_channels=3, encoder_block_out_channels=(16, 16), decoder_block_out_channels=(16, 16),
        num_encoder_blocks=(1, 1), num_decoder_blocks=(1, 1), latent_channels=4,
    )
    return m, dict(sample=t(1, 3, 16, 16)), "sample", (2, 3)


def vq():
    from diffusers import VQModel

    m = VQModel(
        block_out_channels=(32, 64), down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2, latent_channels=3, num_vq_embeddings=16, norm_num_groups=32,
        sample_size=16,
    )
    return m, dict(sample=t(1, 3, 16, 16)), "sample", (2, 3)


def controlnet():
    from diffusers import ControlNetModel

    m = ControlNetModel(
        in_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), cross_attention_dim=32, attention_head_dim=8,
        norm_num_groups=32, conditioning_embedding_out_channels=(16, 32),
    )
    inputs = dict(sample=t(1, 4, 8, 8), timestep=torch.tensor([1]), encoder_hidden_states=t(1, 7, 32),
                  controlnet_cond=t(1, 3, 16, 16))
    return m, inputs, "sample", (2, 3)


def unet3d():
    from diffusers import UNet3DConditionModel

    m = UNet3DConditionModel(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
        down_block_types=("CrossAttnDownBlock3D", "DownBlock3D"), up_block_types=("UpBlock3D", "CrossAttnUpBlock3D"),
        cross_attention_dim=32, attention_head_dim=8, norm_num_groups=32,
    )
    inputs = dict(sample=t(1, 4, 2, 8, 8), timestep=torch.tensor([1]), encoder_hidden_states=t(1, 7, 32))
    return m, inputs, "sample", (3, 4)


BUILDS = {f.__name__: f for f in [unet2dcond, unet2d, vae, sd3, flux, dit, pixart, tiny_vae, vq, controlnet, unet3d]}


def _run(name, model, kwargs, main, dims, root):
    rows = []
    for setting in rm.SETTINGS:
        row = {"arch": name, "setting": setting, "model_class": type(model).__name__}
        start = time.time()
        signal.alarm(400)
        try:
            with torch.no_grad():
                program = rm._export(model, kwargs, main, dims, setting)
            row["status"] = "ok"
            if setting == "non-strict-auto":
                row["auto_dims"], row["specialised"] = list(dims), rm._static_dims(program, main, dims)
        except rm._Timeout:
            row["status"] = "timeout"
        except Exception as exc:  # the export's verdict, recorded
            row.update(status="fail", **rm._describe(exc, root))
            row.pop("full_message", None)
        finally:
            signal.alarm(0)
        row["seconds"] = round(time.time() - start, 1)
        rows.append(row)
        print(json.dumps({k: row.get(k) for k in ("arch", "setting", "status", "specialised", "message")}),
              flush=True)
    return rows


def main() -> int:
    warnings.filterwarnings("ignore")
    import diffusers

    root = os.path.dirname(os.path.abspath(diffusers.__file__)) + os.sep
    signal.signal(signal.SIGALRM, rm._alarm)
    rows = []
    for name, build in BUILDS.items():
        model, kwargs, main_input, dims = build()
        model.eval()
        rows.extend(_run(name, model, kwargs, main_input, dims, root))
    OUT.write_text(json.dumps({
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": {"torch": torch.__version__, "diffusers": diffusers.__version__,
                     "python": sys.version.split()[0]},
        "runs": rows,
    }, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
