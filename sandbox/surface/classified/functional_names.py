"""Every public name of ``torch.nn.functional``, allowed or refused with a reason."""

from __future__ import annotations

from sandbox.surface import reasons
from sandbox.surface.classified import Classified
from sandbox.surface.names import by_reason, name_set

FUNCTIONAL_ALLOWED = name_set(
    """
    GRID_SAMPLE_INTERPOLATION_MODES GRID_SAMPLE_PADDING_MODES Tensor adaptive_avg_pool1d
    adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool1d adaptive_max_pool1d_with_indices
    adaptive_max_pool2d adaptive_max_pool2d_with_indices adaptive_max_pool3d
    adaptive_max_pool3d_with_indices affine_grid alpha_dropout avg_pool1d avg_pool2d avg_pool3d
    batch_norm bilinear binary_cross_entropy binary_cross_entropy_with_logits celu celu_ channel_shuffle
    conv1d conv2d conv3d conv_tbc conv_transpose1d conv_transpose2d conv_transpose3d
    cosine_embedding_loss cosine_similarity cross_entropy ctc_loss dropout dropout1d dropout2d dropout3d
    elu elu_ embedding embedding_bag feature_alpha_dropout fold fractional_max_pool2d
    fractional_max_pool2d_with_indices fractional_max_pool3d fractional_max_pool3d_with_indices
    gaussian_nll_loss gelu glu grid_sample group_norm grouped_mm gumbel_softmax hardshrink hardsigmoid
    hardswish hardtanh hardtanh_ hinge_embedding_loss huber_loss instance_norm interpolate kl_div
    l1_loss layer_norm leaky_relu leaky_relu_ linear linear_cross_entropy local_response_norm
    log_softmax logsigmoid lp_pool1d lp_pool2d lp_pool3d margin_ranking_loss max_pool1d
    max_pool1d_with_indices max_pool2d max_pool2d_with_indices max_pool3d max_pool3d_with_indices
    max_unpool1d max_unpool2d max_unpool3d mish mse_loss multi_head_attention_forward multi_margin_loss
    multilabel_margin_loss multilabel_soft_margin_loss native_channel_shuffle nll_loss normalize one_hot
    pad pairwise_distance pdist pixel_shuffle pixel_unshuffle poisson_nll_loss prelu relu relu6 relu_
    rms_norm rrelu rrelu_ scaled_dot_product_attention scaled_grouped_mm scaled_mm selu selu_ sigmoid
    silu smooth_l1_loss soft_margin_loss softmax softmin softplus softshrink softsign tanh tanhshrink
    threshold threshold_ triplet_margin_loss triplet_margin_with_distance_loss unfold upsample
    upsample_bilinear upsample_nearest
    """
)

FUNCTIONAL_REFUSED = by_reason(
    {
        reasons.DISPATCH: """
        handle_torch_function has_torch_function has_torch_function_unary
        has_torch_function_variadic
        """,
        reasons.OUTSIDE: """
        BroadcastingList1 BroadcastingList2 BroadcastingList3 Callable DType Optional ScalingType
        SwizzleType TYPE_CHECKING assert_int_or_pair boolean_dispatch reproducibility_notes
        sparse_support_notes tf32_notes
        """,
        reasons.PY_MODULE: """
        dataclasses grad importlib math np torch warnings
        """,
    }
)

FUNCTIONAL = Classified("torch.nn.functional", FUNCTIONAL_ALLOWED, FUNCTIONAL_REFUSED)
