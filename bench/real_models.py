"""Ground truth from real model code: which lines of transformers models make
torch.export fail.

Builds tiny random models from configuration classes (no weights are
downloaded), exports each in three settings and records, per run, whether it
exported, the error, the innermost frame inside the transformers package (path relative to
the package: models/llama/modeling_llama.py), and
for data-dependent errors where the unbacked symbol was created.

Run it with a Python that has torch and transformers (not exportlint's venv):

    /work/rm-venv/bin/python bench/real_models.py                 # all, writes bench/real_models.json
    /work/rm-venv/bin/python bench/real_models.py --only llama,t5  # a few, merged into the JSON

Each model runs in its own subprocess (all three settings in it, each under
a CPU-time limit, so that load from other processes cannot expire it; the
subprocess as a whole under a wall-clock backstop), so a hang or a crash costs
that model's unfinished rows only.
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "real_models.json"
SETTINGS = ("strict", "non-strict", "non-strict-auto")
DATA_DEPENDENT = (
    "GuardOnDataDependentSymNode",
    "Could not guard on data-dependent",
    "Could not extract specialized integer from data-dependent expression",
    "data-dependent",
)

# Common tiny sizes; each architecture names its own keys (configs spell them differently).
BERTLIKE = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37, vocab_size=99,
                max_position_embeddings=64)
DECODER = dict(BERTLIKE, num_key_value_heads=1, use_cache=False)
SEQ2SEQ = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2,
               encoder_ffn_dim=37, decoder_ffn_dim=37, vocab_size=99, max_position_embeddings=64, use_cache=False)
T5LIKE = dict(d_model=32, d_kv=16, d_ff=37, num_layers=2, num_decoder_layers=2, num_heads=2, vocab_size=99,
              use_cache=False)
GPT2LIKE = dict(n_embd=32, n_layer=2, n_head=2, vocab_size=99, n_positions=64, use_cache=False)
VIT = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37, image_size=32,
           patch_size=8, num_channels=3)
AUDIO = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37,
             conv_dim=(16, 16), conv_stride=(4, 4), conv_kernel=(8, 8), num_conv_pos_embeddings=16,
             num_conv_pos_embedding_groups=2, do_stable_layer_norm=False)

# name -> (model_type, config overrides, inputs).  Inputs: "ids" (input_ids [2, 16]), "pixels"
# ([2, 3, 32, 32]), "audio" (input_values [2, 1024]), "seq2seq" (input_ids and
# decoder_input_ids), or another kind named in _inputs below.
ARCHS: Dict[str, tuple] = {
    "albert": ("albert", dict(BERTLIKE, embedding_size=16), "ids"),
    "altclip": ("altclip", dict(text_config=dict(BERTLIKE, pad_token_id=1, project_dim=32), vision_config=dict(VIT),
                                projection_dim=16), "clip"),
    # input_values [2, max_length, num_mel_bins]: 2 x 4 patches of 8 at stride 8
    "audio_spectrogram_transformer": ("audio-spectrogram-transformer", dict(VIT, patch_size=8, frequency_stride=8,
                                                                            time_stride=8, max_length=32,
                                                                            num_mel_bins=16), "spectrogram"),
    "bamba": ("bamba", dict(DECODER, attn_layer_indices=[1], mamba_n_heads=4, mamba_d_head=16, mamba_n_groups=1,
                            mamba_d_state=8, mamba_d_conv=4, mamba_expand=2, mamba_chunk_size=8), "ids"),
    "bart": ("bart", SEQ2SEQ, "seq2seq"),
    "beit": ("beit", VIT, "pixels"),
    "bert": ("bert", BERTLIKE, "ids"),
    "big_bird": ("big_bird", dict(BERTLIKE, attention_type="block_sparse", block_size=2, num_random_blocks=2,
                                  max_position_embeddings=128), "ids64"),
    # 16 tokens are too short for block-sparse attention at block 2: the model falls back to full attention
    "bigbird_pegasus": ("bigbird_pegasus", dict(SEQ2SEQ, attention_type="block_sparse", block_size=2,
                                                num_random_blocks=2), "seq2seq"),
    "biogpt": ("biogpt", dict(BERTLIKE, use_cache=False), "ids"),
    "bitnet": ("bitnet", DECODER, "ids"),
    "blenderbot": ("blenderbot", SEQ2SEQ, "seq2seq"),
    "blenderbot_small": ("blenderbot-small", SEQ2SEQ, "seq2seq"),
    "blip": ("blip", dict(text_config=dict(BERTLIKE, encoder_hidden_size=32), vision_config=dict(VIT),
                          projection_dim=16), "clip"),
    "bloom": ("bloom", dict(hidden_size=32, n_layer=2, n_head=2, vocab_size=99, use_cache=False), "ids"),
    "bridgetower": ("bridgetower", dict(hidden_size=32, num_attention_heads=2, num_hidden_layers=2,
                                        text_config=dict(BERTLIKE, pad_token_id=1),
                                        # vision heads are hidden_size // 64
                                        vision_config=dict(hidden_size=64, num_hidden_layers=2, patch_size=8,
                                                           image_size=32)), "clip"),
    "camembert": ("camembert", dict(BERTLIKE, pad_token_id=1), "ids"),
    "canine": ("canine", dict(BERTLIKE, num_hash_buckets=32, local_transformer_stride=4, downsampling_rate=4,
                              max_position_embeddings=256), "ids"),
    "chinese_clip": ("chinese_clip", dict(text_config=dict(BERTLIKE), vision_config=dict(VIT), projection_dim=16),
                     "clip"),
    "clip": ("clip", dict(text_config=dict(BERTLIKE), vision_config=dict(VIT), projection_dim=16), "clip"),
    "codegen": ("codegen", dict(GPT2LIKE, n_ctx=64, rotary_dim=8), "ids"),
    "cohere": ("cohere", DECODER, "ids"),
    "cohere2": ("cohere2", dict(DECODER, sliding_window=8, layer_types=["sliding_attention", "full_attention"]), "ids"),
    "conditional_detr": ("conditional_detr", dict(d_model=32, encoder_layers=1, decoder_layers=1,
                                                  encoder_attention_heads=2, decoder_attention_heads=2,
                                                  encoder_ffn_dim=37, decoder_ffn_dim=37, num_queries=4,
                                                  use_timm_backbone=False, use_pretrained_backbone=False,
                                                  backbone=None,
                                                  backbone_config=dict(model_type="resnet", embedding_size=8,
                                                                       hidden_sizes=[8, 16, 16, 16],
                                                                       depths=[1, 1, 1, 1], out_features=["stage4"])),
                         "pixels64"),
    "convbert": ("convbert", dict(BERTLIKE, embedding_size=32), "ids"),
    "convnext": ("convnext", dict(image_size=32, hidden_sizes=[8, 16, 32, 64], depths=[1, 1, 1, 1]), "pixels"),
    "ctrl": ("ctrl", dict(n_embd=32, n_layer=2, n_head=2, dff=37, vocab_size=99, n_positions=64, use_cache=False),
             "ids"),
    "dac": ("dac", dict(encoder_hidden_size=8, downsampling_ratios=[2, 2], decoder_hidden_size=16, n_codebooks=2,
                        codebook_size=16, codebook_dim=4), "audio3d"),
    "data2vec_audio": ("data2vec-audio", AUDIO, "audio"),
    "data2vec_text": ("data2vec-text", dict(BERTLIKE, pad_token_id=1), "ids"),
    "data2vec_vision": ("data2vec-vision", VIT, "pixels"),
    # the attention reads attn_config.rope_theta, which the config class does not define; clip_qkv None fails clamp
    "dbrx": ("dbrx", dict(d_model=32, n_heads=2, n_layers=2, max_seq_len=64, vocab_size=99,
                          attn_config=dict(kv_n_heads=1, rope_theta=10000.0, clip_qkv=8.0),
                          ffn_config=dict(ffn_hidden_size=32, moe_num_experts=4, moe_top_k=2), use_cache=False),
             "ids"),
    "deberta": ("deberta", dict(BERTLIKE, relative_attention=True, max_relative_positions=16,
                                pos_att_type=["c2p", "p2c"]), "ids"),
    "deberta_v2": ("deberta-v2", dict(BERTLIKE, relative_attention=True, position_buckets=8,
                                      pos_att_type=["c2p", "p2c"]), "ids"),
    "deepseek_v2": ("deepseek_v2", dict(DECODER, num_key_value_heads=2, intermediate_size=32, moe_intermediate_size=16,
                                        n_routed_experts=4, n_shared_experts=1, num_experts_per_tok=2,
                                        first_k_dense_replace=1, kv_lora_rank=16, q_lora_rank=None, qk_nope_head_dim=8,
                                        qk_rope_head_dim=8, v_head_dim=16, n_group=1, topk_group=1), "ids"),
    "deepseek_v3": ("deepseek_v3", dict(DECODER, num_key_value_heads=2, intermediate_size=32, moe_intermediate_size=16,
                                        n_routed_experts=4, n_shared_experts=1, num_experts_per_tok=2,
                                        first_k_dense_replace=1, kv_lora_rank=16, q_lora_rank=16, qk_nope_head_dim=8,
                                        qk_rope_head_dim=8, v_head_dim=16, n_group=1, topk_group=1), "ids"),
    "deformable_detr": ("deformable_detr", dict(d_model=32, encoder_layers=1, decoder_layers=1,
                                                encoder_attention_heads=2, decoder_attention_heads=2,
                                                encoder_ffn_dim=37, decoder_ffn_dim=37, num_queries=4,
                                                num_feature_levels=2, encoder_n_points=2, decoder_n_points=2,
                                                use_timm_backbone=False, use_pretrained_backbone=False, backbone=None,
                                                backbone_config=dict(model_type="resnet", embedding_size=8,
                                                                     hidden_sizes=[8, 16, 16, 16], depths=[1, 1, 1, 1],
                                                                     out_features=["stage3", "stage4"])),
                        "pixels64"),
    "deit": ("deit", VIT, "pixels"),
    "detr": ("detr", dict(d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                          decoder_attention_heads=2, encoder_ffn_dim=37, decoder_ffn_dim=37, num_queries=4,
                          use_timm_backbone=False, use_pretrained_backbone=False, backbone=None,
                          backbone_config=dict(model_type="resnet", embedding_size=8, hidden_sizes=[8, 16, 16, 16],
                                               depths=[1, 1, 1, 1], out_features=["stage4"])), "pixels64"),
    "diffllama": ("diffllama", dict(DECODER, num_key_value_heads=2), "ids"),
    "dinov2": ("dinov2", VIT, "pixels"),
    "distilbert": ("distilbert", dict(dim=32, n_layers=2, n_heads=2, hidden_dim=37, vocab_size=99,
                                      max_position_embeddings=64), "ids"),
    "donut_swin": ("donut-swin", dict(image_size=32, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2],
                                      window_size=4), "pixels"),
    "dpt": ("dpt", dict(VIT, num_hidden_layers=4, backbone_out_indices=[0, 1, 2, 3], neck_hidden_sizes=[8, 16, 32, 32],
                        fusion_hidden_size=16), "pixels"),
    # the head batch norm has hidden_dim features, the conv before it round_filters(1280): equal only at width 1.0
    "efficientnet": ("efficientnet", dict(image_size=32, kernel_sizes=[3, 3, 5], in_channels=[32, 16, 24],
                                          out_channels=[16, 24, 20], strides=[1, 1, 2], num_block_repeats=[1, 1, 2],
                                          expand_ratios=[1, 6, 6], width_coefficient=1.0, depth_coefficient=1.0,
                                          hidden_dim=1280, depthwise_padding=[]), "pixels"),
    "electra": ("electra", dict(BERTLIKE, embedding_size=16), "ids"),
    # frame rate 16000 / (8*5*4*2) = 50 and 10-bit codes: 1.5 kbps gives 3 quantizers (0 leaves nothing to stack)
    "encodec": ("encodec", dict(hidden_size=16, num_filters=4, num_residual_layers=1, upsampling_ratios=[8, 5, 4, 2],
                                codebook_size=1024, codebook_dim=16, num_lstm_layers=1, audio_channels=1,
                                sampling_rate=16000, target_bandwidths=[1.5]), "audio3d"),
    "ernie4_5_moe": ("ernie4_5_moe", dict(DECODER, intermediate_size=32, moe_intermediate_size=16, moe_k=2,
                                          moe_num_experts=4, moe_num_shared_experts=1, moe_layer_start_index=1), "ids"),
    "esm": ("esm", dict(BERTLIKE, pad_token_id=1, position_embedding_type="rotary"), "ids"),
    "exaone4": ("exaone4", dict(DECODER, sliding_window=8, layer_types=["sliding_attention", "full_attention"]), "ids"),
    "falcon": ("falcon", dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, vocab_size=99,
                              new_decoder_architecture=False, use_cache=False), "ids"),
    "falcon_h1": ("falcon_h1", dict(DECODER, mamba_d_ssm=64, mamba_n_heads=4, mamba_d_head=16, mamba_n_groups=1,
                                    mamba_d_state=8, mamba_d_conv=4, mamba_expand=2, mamba_chunk_size=8), "ids"),
    "falcon_mamba": ("falcon_mamba", dict(hidden_size=32, num_hidden_layers=2, vocab_size=99, state_size=4, expand=2,
                                          conv_kernel=4, use_mambapy=False, use_cache=False), "ids"),
    "fnet": ("fnet", dict(BERTLIKE, use_tpu_fourier_optimizations=False), "ids"),
    "focalnet": ("focalnet", dict(image_size=32, patch_size=4, embed_dim=16, hidden_sizes=[16, 32], depths=[1, 1],
                                  focal_levels=[2, 2], focal_windows=[3, 3]), "pixels"),
    "fsmt": ("fsmt", dict(langs=["en", "de"], src_vocab_size=99, tgt_vocab_size=99, d_model=32, encoder_layers=2,
                          decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=37,
                          decoder_ffn_dim=37, max_position_embeddings=64, use_cache=False), "seq2seq"),
    # architectures: AutoModel picks among FunnelModel / FunnelBaseModel by it and fails on None
    "funnel": ("funnel", dict(architectures=["FunnelModel"], d_model=32, n_head=2, d_head=16, d_inner=37,
                              block_sizes=[1, 1], num_decoder_layers=1, vocab_size=99), "ids"),
    "gemma": ("gemma", dict(DECODER, head_dim=16), "ids"),
    "gemma2": ("gemma2", dict(DECODER, head_dim=16, sliding_window=8), "ids"),
    "gemma3_text": ("gemma3_text", dict(DECODER, head_dim=16, sliding_window=8,
                                        layer_types=["sliding_attention", "full_attention"]), "ids"),
    # pad 151329 by default, outside the tiny vocabulary
    "glm": ("glm", dict(DECODER, head_dim=16, pad_token_id=0), "ids"),
    "glm4_moe": ("glm4_moe", dict(DECODER, intermediate_size=32, moe_intermediate_size=16, n_routed_experts=4,
                                  n_shared_experts=1, num_experts_per_tok=2, first_k_dense_replace=1, n_group=1,
                                  topk_group=1), "ids"),
    "gpt2": ("gpt2", GPT2LIKE, "ids"),
    "gpt_bigcode": ("gpt_bigcode", GPT2LIKE, "ids"),
    "gpt_neo": ("gpt_neo", dict(hidden_size=32, num_layers=2, num_heads=2, vocab_size=99, max_position_embeddings=64,
                                attention_types=[[["global", "local"], 1]], window_size=8, use_cache=False), "ids"),
    "gpt_neox": ("gpt_neox", dict(BERTLIKE, use_cache=False), "ids"),
    "gpt_oss": ("gpt_oss", dict(DECODER, intermediate_size=32, head_dim=16, num_local_experts=4, num_experts_per_tok=2,
                                sliding_window=8, layer_types=["sliding_attention", "full_attention"]), "ids"),
    "gptj": ("gptj", dict(GPT2LIKE, rotary_dim=8), "ids"),
    "granite": ("granite", DECODER, "ids"),
    "granitemoe": ("granitemoe", dict(DECODER, intermediate_size=32, num_local_experts=4, num_experts_per_tok=2),
                   "ids"),
    "granitemoehybrid": ("granitemoehybrid", dict(DECODER, intermediate_size=32, shared_intermediate_size=32,
                                                  num_local_experts=4, num_experts_per_tok=2,
                                                  layer_types=["mamba", "attention"], mamba_n_heads=4, mamba_d_head=16,
                                                  mamba_n_groups=1, mamba_d_state=8, mamba_d_conv=4, mamba_expand=2,
                                                  mamba_chunk_size=8), "ids"),
    "groupvit": ("groupvit", dict(text_config=dict(BERTLIKE),
                                  vision_config=dict(hidden_size=32, intermediate_size=37, num_hidden_layers=2,
                                                     depths=[1, 1], num_group_tokens=[4, 0], num_output_groups=[4, 2],
                                                     num_attention_heads=2, image_size=32, patch_size=8),
                                  projection_dim=16, projection_intermediate_dim=37), "clip"),
    "helium": ("helium", dict(DECODER, head_dim=16), "ids"),
    "hiera": ("hiera", dict(image_size=[64, 64], embed_dim=8, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1]), "pixels64"),
    "hubert": ("hubert", AUDIO, "audio"),
    "hunyuan_v1_moe": ("hunyuan_v1_moe", dict(DECODER, head_dim=16, intermediate_size=32, num_experts=4, moe_topk=2,
                                              pad_token_id=0), "ids"),
    "ibert": ("ibert", dict(BERTLIKE, pad_token_id=1), "ids"),
    # MoE experts run torch grouped_mm, which needs 16-byte strides: intermediate 32, not 37
    "jamba": ("jamba", dict(DECODER, intermediate_size=32, num_experts=2, num_experts_per_tok=1,
                            attn_layer_period=2, attn_layer_offset=1, expert_layer_period=2, expert_layer_offset=1,
                            mamba_d_state=4, mamba_d_conv=4, mamba_expand=2, use_mamba_kernels=False), "ids"),
    "jetmoe": ("jetmoe", dict(hidden_size=32, num_hidden_layers=2, num_key_value_heads=1, kv_channels=16,
                              intermediate_size=32, num_local_experts=4, num_experts_per_tok=2, vocab_size=99,
                              max_position_embeddings=64, use_cache=False), "ids"),
    # hidden = 4 * coordinate_size + 2 * shape_size (the 2-D position embeddings are concatenated)
    "layoutlmv3": ("layoutlmv3", dict(BERTLIKE, pad_token_id=1, max_2d_position_embeddings=64, coordinate_size=5,
                                      shape_size=6, input_size=32, patch_size=8, rel_pos_bins=8, max_rel_pos=16,
                                      rel_2d_pos_bins=8, max_rel_2d_pos=16), "ids"),
    "led": ("led", dict(SEQ2SEQ, attention_window=4, max_encoder_position_embeddings=64,
                        max_decoder_position_embeddings=64), "seq2seq"),
    "levit": ("levit", dict(image_size=64, hidden_sizes=[16, 32, 48], num_attention_heads=[1, 2, 3], depths=[1, 1, 1],
                            key_dim=[8, 8, 8]), "pixels64"),
    "lfm2": ("lfm2", dict(DECODER, layer_types=["conv", "full_attention"]), "ids"),
    "llama": ("llama", DECODER, "ids"),
    "longformer": ("longformer", dict(BERTLIKE, attention_window=4, pad_token_id=1), "ids"),
    "longt5": ("longt5", dict(T5LIKE, local_radius=2, encoder_attention_type="local"), "seq2seq"),
    "m2m_100": ("m2m_100", SEQ2SEQ, "seq2seq"),
    "mamba": ("mamba", dict(hidden_size=32, num_hidden_layers=2, vocab_size=99, state_size=4, expand=2, conv_kernel=4,
                            use_mambapy=False, use_cache=False), "ids"),
    "mamba2": ("mamba2", dict(num_heads=4, head_dim=16, hidden_size=32, state_size=8, num_hidden_layers=2,
                              vocab_size=99, expand=2, n_groups=1, conv_kernel=4, chunk_size=8, use_cache=False),
               "ids"),
    # pad 58100 by default, outside the tiny vocabulary
    "marian": ("marian", dict(SEQ2SEQ, pad_token_id=0, decoder_start_token_id=0), "seq2seq"),
    "mbart": ("mbart", SEQ2SEQ, "seq2seq"),
    "minimax": ("minimax", dict(DECODER, intermediate_size=32, head_dim=16, num_local_experts=4, num_experts_per_tok=2,
                                layer_types=["linear_attention", "full_attention"], block_size=8), "ids"),
    "mistral": ("mistral", dict(DECODER, sliding_window=8), "ids"),
    "mixtral": ("mixtral", dict(DECODER, intermediate_size=32, num_local_experts=4, num_experts_per_tok=2), "ids"),
    "mobilebert": ("mobilebert", dict(BERTLIKE, embedding_size=16, intra_bottleneck_size=16, true_hidden_size=16,
                                      num_feedforward_networks=1), "ids"),
    "mobilenet_v1": ("mobilenet_v1", dict(image_size=32, depth_multiplier=0.25), "pixels"),
    "mobilenet_v2": ("mobilenet_v2", dict(image_size=32, depth_multiplier=0.25), "pixels"),
    "mobilevit": ("mobilevit", dict(image_size=32, patch_size=2, hidden_sizes=[16, 24, 32],
                                    neck_hidden_sizes=[8, 8, 16, 16, 24, 24, 32], num_attention_heads=2), "pixels"),
    # pad 50283 by default, outside the tiny vocabulary
    "modernbert": ("modernbert", dict(BERTLIKE, pad_token_id=0, local_attention=8,
                                      layer_types=["sliding_attention", "full_attention"]), "ids"),
    "mpnet": ("mpnet", dict(BERTLIKE, pad_token_id=1), "ids"),
    "mpt": ("mpt", dict(d_model=32, n_layers=2, n_heads=2, vocab_size=99, max_seq_len=64, use_cache=False), "ids"),
    "mt5": ("mt5", T5LIKE, "seq2seq"),
    "mvp": ("mvp", SEQ2SEQ, "seq2seq"),
    "nemotron": ("nemotron", dict(DECODER, head_dim=16), "ids"),
    "nllb_moe": ("nllb-moe", dict(SEQ2SEQ, num_experts=4, expert_capacity=8, encoder_sparse_step=1,
                                  decoder_sparse_step=1), "seq2seq"),
    "nystromformer": ("nystromformer", dict(BERTLIKE, num_landmarks=4, segment_means_seq_len=16,
                                            conv_kernel_size=3), "ids"),
    "olmo2": ("olmo2", DECODER, "ids"),
    "olmoe": ("olmoe", dict(DECODER, intermediate_size=32, num_experts=4, num_experts_per_tok=2), "ids"),
    "opt": ("opt", dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, ffn_dim=37, vocab_size=99,
                        max_position_embeddings=64, word_embed_proj_dim=32, use_cache=False), "ids"),
    "owlvit": ("owlvit", dict(text_config=dict(BERTLIKE), vision_config=dict(VIT), projection_dim=16), "clip"),
    "pegasus": ("pegasus", SEQ2SEQ, "seq2seq"),
    "pegasus_x": ("pegasus_x", dict(SEQ2SEQ, num_global_tokens=4, block_size=4), "seq2seq"),
    "perceiver": ("perceiver", dict(num_latents=8, d_latents=32, d_model=16, num_blocks=1,
                                    num_self_attends_per_block=1, num_self_attention_heads=2,
                                    num_cross_attention_heads=2, vocab_size=99, max_position_embeddings=64),
                  "perceiver"),
    "persimmon": ("persimmon", dict(BERTLIKE, use_cache=False), "ids"),
    "phi": ("phi", dict(DECODER, num_key_value_heads=2), "ids"),
    "phi3": ("phi3", dict(DECODER, pad_token_id=0), "ids"),
    "phimoe": ("phimoe", dict(DECODER, intermediate_size=32, num_local_experts=4, num_experts_per_tok=2), "ids"),
    "plbart": ("plbart", SEQ2SEQ, "seq2seq"),
    "poolformer": ("poolformer", dict(hidden_sizes=[16, 32, 64, 128], depths=[1, 1, 1, 1]), "pixels"),
    "prophetnet": ("prophetnet", dict(hidden_size=32, encoder_ffn_dim=37, decoder_ffn_dim=37, num_encoder_layers=2,
                                      num_decoder_layers=2, num_encoder_attention_heads=2,
                                      num_decoder_attention_heads=2, vocab_size=99, ngram=2, num_buckets=8,
                                      relative_max_distance=16, max_position_embeddings=64, use_cache=False),
                   "seq2seq"),
    "pvt": ("pvt", dict(image_size=32, hidden_sizes=[16, 32, 64, 128], depths=[1, 1, 1, 1],
                        num_attention_heads=[1, 2, 4, 8]), "pixels"),
    "qwen2": ("qwen2", DECODER, "ids"),
    "qwen2_moe": ("qwen2_moe", dict(DECODER, intermediate_size=32, num_experts=4, num_experts_per_tok=2,
                                    moe_intermediate_size=16, shared_expert_intermediate_size=16), "ids"),
    "qwen3": ("qwen3", dict(DECODER, head_dim=16), "ids"),
    "qwen3_moe": ("qwen3_moe", dict(DECODER, head_dim=16, intermediate_size=32, num_experts=4, num_experts_per_tok=2,
                                    moe_intermediate_size=16), "ids"),
    "qwen3_next": ("qwen3_next", dict(DECODER, head_dim=16, intermediate_size=32, moe_intermediate_size=16,
                                      shared_expert_intermediate_size=16, num_experts=4, num_experts_per_tok=2,
                                      linear_conv_kernel_dim=4, linear_key_head_dim=16, linear_value_head_dim=16,
                                      linear_num_key_heads=2, linear_num_value_heads=2,
                                      layer_types=["linear_attention", "full_attention"]), "ids"),
    "recurrent_gemma": ("recurrent_gemma", dict(hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                                                num_attention_heads=2, num_key_value_heads=1, vocab_size=99,
                                                lru_width=32, attention_window_size=8,
                                                block_types=["recurrent", "recurrent", "attention"],
                                                use_cache=False), "ids"),
    "reformer": ("reformer", dict(hidden_size=32, num_attention_heads=2, attention_head_size=16, feed_forward_size=37,
                                  vocab_size=99, attn_layers=["local", "lsh"], axial_pos_shape=[4, 4],
                                  axial_pos_embds_dim=[16, 16], local_attn_chunk_length=4, lsh_attn_chunk_length=4,
                                  num_buckets=2, num_hashes=1, max_position_embeddings=16, is_decoder=False,
                                  use_cache=False), "ids"),
    "rembert": ("rembert", dict(BERTLIKE, input_embedding_size=16, output_embedding_size=16), "ids"),
    "resnet": ("resnet", dict(embedding_size=8, hidden_sizes=[8, 16, 16, 16], depths=[1, 1, 1, 1]), "pixels"),
    "roberta": ("roberta", dict(BERTLIKE, pad_token_id=1), "ids"),
    "roc_bert": ("roc_bert", dict(BERTLIKE, pronunciation_embed_dim=16, pronunciation_vocab_size=20,
                                  shape_embed_dim=16, shape_vocab_size=20), "ids"),
    "roformer": ("roformer", dict(BERTLIKE, embedding_size=32), "ids"),
    "rt_detr": ("rt_detr", dict(d_model=32, encoder_hidden_dim=32, encoder_in_channels=[16, 16, 16],
                                feat_strides=[8, 16, 32], encoder_layers=1, encoder_ffn_dim=37,
                                encoder_attention_heads=2, decoder_in_channels=[32, 32, 32], decoder_layers=1,
                                decoder_ffn_dim=37, decoder_attention_heads=2, num_queries=4, num_denoising=0,
                                backbone_config=dict(model_type="rt_detr_resnet", embedding_size=8,
                                                     hidden_sizes=[8, 16, 16, 16], depths=[1, 1, 1, 1],
                                                     out_features=["stage2", "stage3", "stage4"])),
                "pixels64"),
    "rwkv": ("rwkv", dict(hidden_size=32, num_hidden_layers=2, attention_hidden_size=32, intermediate_size=37,
                          vocab_size=99, context_length=64, use_cache=False), "ids"),
    "segformer": ("segformer", dict(num_encoder_blocks=2, depths=[1, 1], sr_ratios=[2, 1], hidden_sizes=[16, 32],
                                    patch_sizes=[7, 3], strides=[4, 2], num_attention_heads=[1, 2], mlp_ratios=[2, 2],
                                    decoder_hidden_size=32), "pixels"),
    "sew": ("sew", dict(AUDIO, squeeze_factor=2), "audio"),
    "sew_d": ("sew-d", dict(AUDIO, squeeze_factor=2, position_buckets=8, max_position_embeddings=64), "audio"),
    # pad 128004 by default, outside the tiny vocabulary
    "smollm3": ("smollm3", dict(DECODER, pad_token_id=0), "ids"),
    "speech_to_text": ("speech_to_text", dict(SEQ2SEQ, input_feat_per_channel=8, input_channels=1, conv_channels=16,
                                              num_conv_layers=2, conv_kernel_sizes=[5, 5], max_source_positions=64,
                                              max_target_positions=64), "speech2text"),
    # grouped 1x1 convolutions (4 groups): the intermediate size must divide by 4
    "squeezebert": ("squeezebert", dict(BERTLIKE, embedding_size=32, intermediate_size=64), "ids"),
    "stablelm": ("stablelm", DECODER, "ids"),
    "starcoder2": ("starcoder2", dict(DECODER, sliding_window=8), "ids"),
    "swin": ("swin", dict(image_size=32, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2],
                          window_size=4), "pixels"),
    "swinv2": ("swinv2", dict(image_size=32, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2],
                              window_size=4), "pixels"),
    "switch_transformers": ("switch_transformers", dict(T5LIKE, num_experts=4, expert_capacity=8,
                                                        encoder_sparse_step=1, decoder_sparse_step=1),
                            "seq2seq"),
    "t5": ("t5", T5LIKE, "seq2seq"),
    "umt5": ("umt5", T5LIKE, "seq2seq"),
    "unispeech": ("unispeech", AUDIO, "audio"),
    "unispeech_sat": ("unispeech-sat", AUDIO, "audio"),
    "vilt": ("vilt", dict(BERTLIKE, image_size=32, patch_size=8, max_image_length=-1, modality_type_vocab_size=2),
             "vilt"),
    "visual_bert": ("visual_bert", dict(BERTLIKE, visual_embedding_dim=16), "ids"),
    "vit": ("vit", VIT, "pixels"),
    "vit_mae": ("vit_mae", dict(VIT, decoder_hidden_size=32, decoder_num_hidden_layers=1, decoder_num_attention_heads=2,
                                decoder_intermediate_size=37), "pixels"),
    "vit_msn": ("vit_msn", VIT, "pixels"),
    "wav2vec2": ("wav2vec2", AUDIO, "audio"),
    "wav2vec2_conformer": ("wav2vec2-conformer", dict(AUDIO, conv_depthwise_kernel_size=7), "audio"),
    "wavlm": ("wavlm", dict(AUDIO, num_buckets=16, max_bucket_distance=32), "audio"),
    "whisper": ("whisper", dict(SEQ2SEQ, num_mel_bins=8, max_source_positions=16, max_target_positions=32,
                                decoder_start_token_id=1, pad_token_id=0), "whisper"),
    "xglm": ("xglm", dict(d_model=32, num_layers=2, attention_heads=2, ffn_dim=37, vocab_size=99,
                          max_position_embeddings=64, use_cache=False), "ids"),
    "xlm_roberta": ("xlm-roberta", dict(BERTLIKE, pad_token_id=1), "ids"),
    "xlnet": ("xlnet", dict(d_model=32, n_layer=2, n_head=2, d_inner=37, vocab_size=99, mem_len=None,
                            use_mems_eval=False), "ids"),
    "xlstm": ("xlstm", dict(hidden_size=32, num_hidden_layers=2, num_heads=2, vocab_size=99, chunk_size=8,
                            use_cache=False), "ids"),
    "yolos": ("yolos", dict(VIT, image_size=[32, 32], num_detection_tokens=4), "pixels"),
    "yoso": ("yoso", dict(BERTLIKE, pad_token_id=1, num_hash=4, hash_code_len=4), "ids"),
    # layers 0-2 are mamba, mamba, hybrid (mamba + shared attention), then hybrid every attn_layer_period; the
    # shared-weight ties need two hybrid layers
    "zamba": ("zamba", dict(DECODER, num_hidden_layers=4, attn_layer_period=2, attn_layer_offset=0, n_mamba_heads=2,
                            mamba_d_state=4, mamba_d_conv=4, mamba_expand=2, use_mamba_kernels=False), "ids"),
    "zamba2": ("zamba2", dict(DECODER, num_hidden_layers=4, layers_block_type=["mamba", "hybrid", "mamba", "hybrid"],
                              n_mamba_heads=4, mamba_d_state=8, mamba_d_conv=4, mamba_expand=2, chunk_size=8), "ids"),
}


# --- child: build, export, describe -------------------------------------------------------------


def _inputs(kind: str, config: Any):
    """(kwargs, name of the main input, dims of it that Dim.AUTO covers)."""
    import torch

    g = torch.Generator().manual_seed(0)

    def ids(n: int = 16, vocab: int = 99):
        # Avoid 0/1/2 (pad / bos / eos in many configs) so no padding path is taken by accident.
        return torch.randint(3, vocab, (2, n), generator=g)

    if kind in ("ids", "ids64"):
        return {"input_ids": ids(64 if kind == "ids64" else 16)}, "input_ids", (1,)
    if kind == "seq2seq":
        return {"input_ids": ids(), "decoder_input_ids": ids(8)}, "input_ids", (1,)
    if kind in ("pixels", "pixels64"):
        size = 64 if kind == "pixels64" else 32
        return {"pixel_values": torch.randn(2, 3, size, size, generator=g)}, "pixel_values", (2, 3)
    if kind == "audio":
        return {"input_values": torch.randn(2, 1024, generator=g)}, "input_values", (1,)
    if kind == "audio3d":
        return {"input_values": torch.randn(2, 1, 3200, generator=g)}, "input_values", (2,)
    if kind == "clip":
        return ({"input_ids": ids(), "pixel_values": torch.randn(2, 3, 32, 32, generator=g)}, "input_ids", (1,))
    if kind == "vilt":
        return ({"input_ids": ids(), "pixel_values": torch.randn(2, 3, 32, 32, generator=g)}, "input_ids", (1,))
    if kind == "whisper":
        feats = torch.randn(2, config.num_mel_bins, 2 * config.max_source_positions, generator=g)
        return {"input_features": feats, "decoder_input_ids": ids(8)}, "input_features", (2,)
    if kind == "perceiver":
        return {"inputs": torch.randn(2, 16, config.d_model, generator=g)}, "inputs", (1,)
    if kind == "spectrogram":  # [batch, frames, mel bins]
        feats = torch.randn(2, config.max_length, config.num_mel_bins, generator=g)
        return {"input_values": feats}, "input_values", (1,)
    if kind == "speech2text":  # [batch, frames, features]; 64 frames are 16 after the two stride-2 convolutions
        feats = torch.randn(2, 64, config.input_feat_per_channel * config.input_channels, generator=g)
        return {"input_features": feats, "decoder_input_ids": ids(8)}, "input_features", (1,)
    raise ValueError(kind)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout("time limit")


_FRAME = re.compile(r'File "([^"]+)", line (\d+)(?:, in (\S+))?(?:\n\s+(.+))?')


def _tf_root() -> str:
    import transformers

    return os.path.dirname(os.path.abspath(transformers.__file__)) + os.sep


def _relative(path: str, root: str) -> Optional[str]:
    """Path relative to the transformers package (models/llama/modeling_llama.py), or None outside it."""
    path = os.path.abspath(path)
    return path[len(root):] if path.startswith(root) else None


def _source_line(path: str, line: int) -> str:
    import linecache

    return linecache.getline(path, line).strip()


def _frames_from_text(text: str, root: str) -> List[dict]:
    frames = []
    for m in _FRAME.finditer(text):
        rel = _relative(m.group(1), root)
        if rel is None:
            continue
        line = int(m.group(2))
        frames.append({"file": rel, "line": line, "function": m.group(3),
                       "source": _source_line(m.group(1), line) or (m.group(4) or "").strip()})
    return frames


def _frames_from_tb(exc: BaseException, root: str) -> List[dict]:
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__):
        rel = _relative(fs.filename, root)
        if rel is not None:
            frames.append({"file": rel, "line": fs.lineno, "function": fs.name,
                           "source": (fs.line or "").strip()})
    return frames


def _user_code_part(text: str) -> str:
    """Strict export names the user frames after 'from user code:'; torch's own frames come before."""
    idx = text.rfind("from user code:")
    return text[idx:] if idx >= 0 else ""


def _describe(exc: BaseException, root: str) -> dict:
    text = str(exc)
    chain = []
    e: Optional[BaseException] = exc
    while e is not None and len(chain) < 5:
        chain.append(e)
        e = e.__cause__ or e.__context__
    user = _frames_from_text(_user_code_part(text), root)
    tb: List[dict] = []
    for e in chain:  # the raised exception first, then what it was raised from
        tb = _frames_from_tb(e, root)
        if tb:
            break
    msg_frames = _frames_from_text(text, root)
    # Preference: the user-code stack torch prints (strict), else the Python traceback
    # (non-strict runs the model's Python directly), else any transformers frame named in the message.
    source = "user-code" if user else "traceback" if tb else "message" if msg_frames else "none"
    frames = user or tb or msg_frames
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    dd = any(key in text for key in DATA_DEPENDENT[:3]) or type(exc).__name__ == "GuardOnDataDependentSymNode"
    return {
        "error_class": type(exc).__module__ + "." + type(exc).__qualname__,
        "message": first[:500],
        "blamed": frames[-1] if frames else None,
        "blamed_from": source,
        "stack": frames[-6:],
        "data_dependent": dd,
        "unbacked_symbols": sorted(set(re.findall(r"\bu\d+\b", text)), key=lambda s: int(s[1:])) if dd else [],
        "origin": _origin_from_text(text, root) if dd else None,
        "full_message": text[:6000],
    }


def _origin_from_text(text: str, root: str) -> Optional[dict]:
    """Where torch says the unbacked symbol was created, when its message says so."""
    for marker in ("was created at", "allocated at", "created at:"):
        idx = text.find(marker)
        if idx >= 0:
            frames = _frames_from_text(text[idx:idx + 4000], root)
            if frames:
                return dict(frames[-1], how="message")
    return None


def _export(model, kwargs, main, auto_dims, setting):
    import torch
    from torch.export import Dim

    dynamic_shapes = None
    if setting == "non-strict-auto":
        dynamic_shapes = {k: ({d: Dim.AUTO for d in auto_dims} if k == main else None) for k in kwargs}
    return torch.export.export(model, (), kwargs, strict=(setting == "strict"), dynamic_shapes=dynamic_shapes)


def _static_dims(ep, main: str, dims) -> List[int]:
    """The Dim.AUTO dims of the main input that export specialised to their example size."""
    import torch

    user_inputs = [n for n in ep.graph.nodes if n.op == "placeholder" and n.name in ep.graph_signature.user_inputs]
    for node in user_inputs:
        if node.name == main or node.target == main:
            shape = node.meta["val"].shape
            # a specialised dim stays a SymInt whose expression is a number
            return [d for d in dims if not isinstance(shape[d], torch.SymInt) or not shape[d].node.expr.free_symbols]
    return []


# --- other sizes: does a program exported with Dim.AUTO accept, and compute right, sizes it was not traced at?
class GuardStacks:
    """Where each shape guard was added: ShapeEnv._get_sloc wrapped to keep the Python stack
    (non-strict export runs the model's own Python, so the stack holds the model frame that
    asked). Guards are matched by their SLoc object."""

    def __init__(self) -> None:
        self.stacks: Dict[int, list] = {}
        self._keep: list = []

    def __enter__(self) -> "GuardStacks":
        from torch.fx.experimental.symbolic_shapes import ShapeEnv

        self._cls, self._original = ShapeEnv, ShapeEnv._get_sloc
        stacks, keep, original = self.stacks, self._keep, self._original

        def _get_sloc(env, *args, **kwargs):
            sloc = original(env, *args, **kwargs)
            stacks[id(sloc)] = traceback.extract_stack()[:-1]
            keep.append(sloc)  # ids stay unique while the run lasts
            return sloc

        ShapeEnv._get_sloc = _get_sloc
        return self

    def __exit__(self, *exc) -> None:
        self._cls._get_sloc = self._original

    def model_frame(self, sloc, root: str) -> Optional[dict]:
        """The innermost transformers frame of the stack kept for ``sloc``, or None."""
        inner = [f for f in self.stacks.get(id(sloc), []) if _relative(f.filename, root)]
        if not inner:
            return None
        f = inner[-1]
        return {"file": _relative(f.filename, root), "line": f.lineno, "function": f.name,
                "source": (f.line or "").strip()}


def _auto_symbols(ep, main: str, dims) -> Dict[int, Any]:
    """dim -> the sympy symbol export gave it (dims kept dynamic only)."""
    import torch

    for node in ep.graph.nodes:
        if node.op == "placeholder" and (node.name == main or node.target == main):
            shape = node.meta["val"].shape
            return {d: shape[d].node.expr for d in dims
                    if isinstance(shape[d], torch.SymInt) and shape[d].node.expr.is_Symbol}
    return {}


def _shape_env(ep):
    import torch

    for node in ep.graph.nodes:
        val = node.meta.get("val") if node.op == "placeholder" else None
        if isinstance(val, torch.Tensor):
            for size in val.shape:
                if isinstance(size, torch.SymInt):
                    return size.node.shape_env
    return None


def _failing_guard_frames(env, stacks: GuardStacks, values: Dict[Any, int], root: str) -> List[dict]:
    """The innermost transformers frame of every guard that is false at ``values`` (symbol -> size)."""
    import sympy

    frames: List[dict] = []
    for guard in getattr(env, "guards", []):
        try:
            holds = guard.expr.xreplace({s: sympy.Integer(v) for s, v in values.items()})
        except Exception:
            continue
        if holds is not sympy.false:
            continue
        frame = stacks.model_frame(guard.sloc, root)
        if frame is not None and frame not in frames:
            frames.append(frame)
    return frames


def _specialising_frames(env, stacks: GuardStacks, main: str, sizes: Dict[int, int], root: str) -> List[dict]:
    """Where a dim of the main input that export turned into a constant was specialised: the
    innermost transformers frame of the replacement's SLoc, for each tried size that differs."""
    import sympy

    frames: List[dict] = []
    for symbol, value in getattr(env, "replacements", {}).items():
        if not isinstance(value, sympy.Integer):
            continue
        names = [source.name() if callable(source.name) else source.name  # a property in newer torch
                 for source in env.var_to_sources.get(symbol, ())]
        dims = [d for d, n in sizes.items() if int(value) != n
                and any(main in name and name.endswith(f".size()[{d}]") for name in names)]
        frame = stacks.model_frame(env.replacements_slocs.get(symbol), root) if dims else None
        if frame is not None and frame not in frames:
            frames.append(frame)
    return frames


def other_sizes(kind: str, example: List[int], dims) -> List[Dict[int, int]]:
    """Sizes of the auto dims to try after tracing at ``example``: odd, larger, and (for images) not square."""
    if kind in ("pixels", "pixels64"):
        n = example[dims[0]]
        return [{dims[0]: n + 8, dims[1]: n + 8}, {dims[0]: n, dims[1]: n + 16}]
    n = example[dims[0]]
    return [{dims[0]: n - 3}, {dims[0]: n + 8}, {dims[0]: 4 * n + 3}]  # 13, 24, 67: past a chunk of 64 too


def _resized(tensor, sizes: Dict[int, int]):
    import torch

    shape = [sizes.get(d, n) for d, n in enumerate(tensor.shape)]
    g = torch.Generator().manual_seed(1)
    if tensor.dtype.is_floating_point:
        return torch.randn(*shape, generator=g, dtype=tensor.dtype)
    low = 3 if int(tensor.min()) >= 3 else int(tensor.min())
    return torch.randint(low, int(tensor.max()) + 1, shape, generator=g, dtype=tensor.dtype)


def _tensors(output) -> list:
    import torch

    if isinstance(output, torch.Tensor):
        return [output]
    if isinstance(output, dict):
        output = list(output.values())
    if isinstance(output, (list, tuple)):
        return [t for item in output for t in _tensors(item)]
    return []


def probe_other_sizes(model, kwargs, main, auto_dims, kind, ep, stacks: GuardStacks, root: str) -> List[dict]:
    """Each other size: 'eager-fails' (not export's concern), 'runs' (same outputs as eager),
    'differs' (runs, other outputs) or 'rejected' (with the frames whose guards exclude it)."""
    import torch

    symbols, env, results = _auto_symbols(ep, main, auto_dims), _shape_env(ep), []
    for sizes in other_sizes(kind, list(kwargs[main].shape), auto_dims):
        other = dict(kwargs, **{main: _resized(kwargs[main], sizes)})
        result: Dict[str, Any] = {"sizes": {str(d): n for d, n in sizes.items()}}
        with torch.no_grad():
            try:
                expected = _tensors(model(**other))
            except Exception as exc:
                results.append(dict(result, result="eager-fails", message=str(exc).splitlines()[0][:200]))
                continue
            try:
                got = _tensors(ep.module()(**other))
            except Exception as exc:
                values = {symbols[d]: n for d, n in sizes.items() if d in symbols}
                frames = (_failing_guard_frames(env, stacks, values, root)
                          + _specialising_frames(env, stacks, main, sizes, root)) if env is not None else []
                results.append(dict(result, result="rejected", message=str(exc).splitlines()[0][:300],
                                    blamed=frames))
                continue
        same = len(got) == len(expected) and all(
            a.shape == b.shape and torch.allclose(a.float(), b.float(), atol=1e-4, rtol=1e-3)
            for a, b in zip(got, expected))
        results.append(dict(result, result="runs" if same else "differs"))
    return results


def build(name: str):
    import torch
    from transformers import AutoConfig, AutoModel

    model_type, overrides, kind = ARCHS[name]
    config = AutoConfig.for_model(model_type, **overrides)
    if hasattr(config, "use_cache"):
        config.use_cache = False
    torch.manual_seed(0)
    model = AutoModel.from_config(config).eval()
    kwargs, main, auto_dims = _inputs(kind, config)
    return model, kwargs, main, auto_dims


def child(name: str, settings: List[str], limit: int) -> int:
    """Runs the settings for one architecture; prints one JSON line per run."""
    import warnings

    warnings.filterwarnings("ignore")
    import torch

    root = _tf_root()
    signal.signal(signal.SIGPROF, _alarm)
    try:
        model, kwargs, main, auto_dims = build(name)
        with torch.no_grad():
            model(**kwargs)
        eager = None
    except Exception as exc:  # the tiny config itself is wrong: not an export result
        eager = _describe(exc, root)
    for setting in settings:
        row: Dict[str, Any] = {"arch": name, "setting": setting}
        if eager is not None:
            row.update(status="setup-error", **eager)
            print(json.dumps(row), flush=True)
            continue
        row.update(model_class=type(model).__name__, model_file=_relative(inspect.getsourcefile(type(model)), root),
                   main_input=main,
                   inputs={k: list(v.shape) for k, v in kwargs.items()},
                   auto_dims=list(auto_dims) if setting == "non-strict-auto" else None)
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_PROF, limit)
        try:
            with torch.no_grad(), GuardStacks() as stacks:
                ep = _export(model, kwargs, main, auto_dims, setting)
            row["status"] = "exports"
            if setting == "non-strict-auto":
                row["static_auto_dims"] = _static_dims(ep, main, auto_dims)
                signal.setitimer(signal.ITIMER_PROF, 0)
                try:  # the export's outcome stands whatever the probe does
                    row["other_sizes"] = probe_other_sizes(model, kwargs, main, auto_dims, ARCHS[name][2], ep,
                                                           stacks, root)
                except Exception as exc:
                    row["other_sizes_error"] = f"{type(exc).__name__}: {exc}"[:300]
        except _Timeout:
            row["status"] = "timeout"
        except Exception as exc:
            row["status"] = "fails"
            row.update(_describe(exc, root))
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        row["seconds"] = round(time.perf_counter() - start, 1)
        torch._dynamo.reset()
        print(json.dumps(row), flush=True)
    return 0


def origin_child(name: str, setting: str, limit: int) -> int:
    """Reruns one export; the parent reads the symbol-creation log from its stderr."""
    import warnings

    warnings.filterwarnings("ignore")
    signal.signal(signal.SIGPROF, _alarm)
    model, kwargs, main, auto_dims = build(name)
    signal.setitimer(signal.ITIMER_PROF, limit)
    try:
        _export(model, kwargs, main, auto_dims, setting)
    except Exception as exc:
        print(str(exc)[:2000])
    signal.setitimer(signal.ITIMER_PROF, 0)
    return 0


_LOG_PREFIX = re.compile(r"^([IVWEDC]\d{4} [\d:.]+ \d+ \S+\]) ?(.*)$")
_SHORT_FRAME = re.compile(r"\(?((?:[\w.-]+/)*[\w.-]+\.py):(\d+) in (\w+)\)?")


def origin_from_log(log: str, symbol: str, root: str) -> Optional[dict]:
    """The innermost transformers frame of the log record that created ``symbol``.

    With TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL=symbol and TORCH_LOGS=+dynamic, torch
    logs 'create_unbacked_sym... symbol' with the Python stack of the creation, and
    "Data dependent variable 'symbol' allocated at:" with the same stack when it fails."""
    records: List[List[str]] = []
    last = None
    for line in log.splitlines():
        m = _LOG_PREFIX.match(line)
        if not m:
            continue
        if m.group(1) != last:
            records.append([])
            last = m.group(1)
        records[-1].append(m.group(2))
    wanted = re.compile(r"(create_unbacked_sym\w* " + re.escape(symbol) + r"\b|variable '" + re.escape(symbol)
                        + r"' allocated at)")
    for rec in records:
        if not rec or not wanted.search(rec[0]):
            continue
        text = "\n".join(rec)
        frames = _frames_from_text(text, root)
        if frames:
            return frames[-1]
        short = [(m.group(1), int(m.group(2)), m.group(3)) for m in _SHORT_FRAME.finditer(rec[0])]
        for path, line, func in reversed(short):
            if path.startswith("transformers/"):
                rel = path[len("transformers/"):]
                return {"file": rel, "line": line, "function": func,
                        "source": _source_line(os.path.join(root, rel), line)}
    return None


# --- parent ------------------------------------------------------------------------------------


def _run(cmd: List[str], limit: int, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=limit, env=env)


def run_arch(name: str, limit: int) -> List[dict]:
    cmd = [sys.executable, __file__, "--child", name, "--limit", str(limit)]
    rows: List[dict] = []
    try:
        # wall-clock backstop only: the per-export limit is CPU time, so load from others cannot expire it
        proc = _run(cmd, 4 * limit * len(SETTINGS) + 300)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err, rc = "hard time limit", None
    for line in out.splitlines():
        if line.startswith("{"):
            rows.append(json.loads(line))
    done = {r["setting"] for r in rows}
    for setting in SETTINGS:
        if setting not in done:
            rows.append({"arch": name, "setting": setting, "status": "crash" if rc not in (None, 0) else "timeout",
                         "message": (err or "").strip().splitlines()[-1:] and err.strip().splitlines()[-1][:500]})
    for row in rows:
        if row.get("status") == "fails" and row.get("data_dependent") and not row.get("origin"):
            row["origin"] = find_origin(name, row, limit)
    return sorted(rows, key=lambda r: SETTINGS.index(r["setting"]))


def find_origin(name: str, row: dict, limit: int) -> dict:
    """Where the unbacked symbol of a data-dependent failure was created: torch's message
    when it says, else a rerun with TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL, else unknown."""
    symbols = row.get("unbacked_symbols") or ["u0"]
    m = re.search(r'TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL="?(u\d+)', row.get("full_message", ""))
    symbol = m.group(1) if m else symbols[0]
    env = dict(os.environ, TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL=symbol, TORCH_LOGS="+dynamic")
    cmd = [sys.executable, __file__, "--origin", name, row["setting"], "--limit", str(limit)]
    try:
        proc = _run(cmd, 4 * limit + 300, env)
        found = origin_from_log(proc.stderr, symbol, _tf_root())
        if found:
            return dict(found, symbol=symbol, how="TORCHDYNAMO_EXTENDED_DEBUG_CREATE_SYMBOL log")
    except subprocess.TimeoutExpired:
        pass
    return {"how": "unknown", "symbol": symbol}


def versions() -> Dict[str, str]:
    from importlib.metadata import version

    return {"torch": version("torch"), "transformers": version("transformers"),
            "python": sys.version.split()[0]}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", help="comma-separated architectures; their rows replace those in --out")
    parser.add_argument("--limit", type=int, default=120, help="CPU seconds per export run (default 120)")
    parser.add_argument("--list", action="store_true", help="print the architectures and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--origin", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--origins", action="store_true",
                        help="only find the origins of the data-dependent failures in --out whose origin is unknown")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, list(SETTINGS), args.limit)
    if args.origin:
        return origin_child(*args.origin, limit=args.limit)
    if args.origins:
        return refind_origins(args.out, args.limit)
    if args.list:
        print("\n".join(ARCHS))
        return 0
    names = args.only.split(",") if args.only else list(ARCHS)
    unknown = [n for n in names if n not in ARCHS]
    if unknown:
        parser.error(f"unknown architectures: {', '.join(unknown)}")
    previous: Dict[str, Any] = {}
    if args.only and args.out.exists():
        previous = json.loads(args.out.read_text(encoding="utf-8"))
    rows = [r for r in previous.get("runs", []) if r["arch"] not in names]
    for name in names:
        start = time.perf_counter()
        got = run_arch(name, args.limit)
        rows.extend(got)
        summary = " ".join(f"{r['setting']}={r['status']}" for r in got)
        print(f"{name:22s} {time.perf_counter() - start:6.1f}s  {summary}", flush=True)
        _write(args.out, rows)
    return 0


def refind_origins(out: Path, limit: int) -> int:
    rows = json.loads(out.read_text(encoding="utf-8"))["runs"]
    for row in rows:
        if row.get("status") == "fails" and row.get("data_dependent") and (row.get("origin") or {}).get(
                "how", "unknown") == "unknown":
            row["origin"] = find_origin(row["arch"], row, limit)
            print(f"{row['arch']:22s} {row['setting']:16s} origin {row['origin']}", flush=True)
            _write(out, rows)
    return 0


def _write(out: Path, rows: List[dict]) -> None:
    order = list(ARCHS)
    rows = sorted(rows, key=lambda r: (order.index(r["arch"]) if r["arch"] in order else len(order),
                                       SETTINGS.index(r["setting"])))
    doc = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": versions(),
        "settings": {"strict": "torch.export.export(model, (), kwargs, strict=True)",
                     "non-strict": "torch.export.export(model, (), kwargs, strict=False)",
                     "non-strict-auto": "strict=False, Dim.AUTO on auto_dims of the main input"},
        "config_overrides": {n: {"model_type": ARCHS[n][0], "overrides": ARCHS[n][1], "inputs": ARCHS[n][2]}
                             for n in ARCHS if any(r["arch"] == n for r in rows)},
        "runs": rows,
    }
    out.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
