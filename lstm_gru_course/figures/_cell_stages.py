"""The stages of the cell animations: what each lights, shows, moves and says.

Data for :mod:`.cell_animations` (which re-exports the public names): each stage is
(elements it lights, values it shows once done, [(wire, value, role)] that travel,
caption, equation or None).
"""

from __future__ import annotations

from ..i18n import N_

_ARRIVE = r"$[h_{t-1}, x_t]$"  # the equation slot while the inputs arrive

#: The equation of each lit path (figures and animations write it beside the picture).
STAGE_EQUATIONS = {
    "forget": r"$f_t = \sigma(x_t W_{if}^\top + b_{if} + h_{t-1} W_{hf}^\top + b_{hf})$",
    "input": r"$i_t = \sigma(x_t W_{ii}^\top + b_{ii} + h_{t-1} W_{hi}^\top + b_{hi})"
    r"\quad g_t = \tanh(x_t W_{ig}^\top + b_{ig} + h_{t-1} W_{hg}^\top + b_{hg})$",
    "cell": r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$",
    "output": r"$o_t = \sigma(x_t W_{io}^\top + b_{io} + h_{t-1} W_{ho}^\top + b_{ho})"
    r"\quad h_t = o_t \odot \tanh(c_t)$",
}

# A stage: (elements it lights, values it shows once done, [(wire, value, role)] that
# travel, caption, equation or None). Elements may be "@path" (a whole path).
_IN = [("h_in", "h_prev", "hidden"), ("x_in", "x", "hidden")]
_C_ARRIVE = r"$c_{t-1}$"

RNN_STAGES = [
    (
        {"@inputs"},
        {"x", "h_prev"},
        _IN,
        N_("Two inputs arrive: $x_t$ and the previous hidden state $h_{t-1}$."),
        _ARRIVE,
    ),
    (
        {"@combine"},
        set(),
        [("bus", None, "hidden")],
        N_("They are concatenated into one vector $[h_{t-1}, x_t]$."),
        r"$[h_{t-1}, x_t]$",
    ),
    (
        {"@tanh"},
        {"a"},
        [("bus", None, "hidden")],
        N_("Weights give the sum $a$; tanh squashes it into $(-1, 1)$."),
        r"$a = x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh}$",
    ),
    (
        {"@output"},
        {"h"},
        [("h_new", "h", "hidden")],
        N_("The new hidden state $h_t$ is also the output."),
        r"$h_t = \tanh(a)$",
    ),
]

_F_BOX = {"fork_f", "to_f", "box_f", "name_f"}
_I_BOX = {"fork_f", "bus_i", "fork_i", "to_i", "box_i", "name_i"}
_G_BOX = {"fork_f", "bus_i", "fork_i", "bus_g", "fork_g", "to_g", "box_g", "name_g"}
_O_BOX = {"fork_f", "bus_i", "fork_i", "bus_g", "fork_g", "bus_o", "box_o", "name_o"}
_C_IN = {"c_in", "c_prev"}

LSTM_STAGES = {
    "forget": [
        (
            {"@inputs"},
            {"x", "h_prev"},
            _IN,
            N_("The previous hidden state $h_{t-1}$ and the input $x_t$ arrive."),
            _ARRIVE,
        ),
        (
            _F_BOX,
            set(),
            [("to_f", None, "hidden")],
            N_("Concatenated, they go through the forget gate's sigmoid layer."),
            STAGE_EQUATIONS["forget"],
        ),
        (
            {"f", "f_out"},
            {"f"},
            [("f_out", "f", "forget")],
            N_("$f_t$: one number in $(0, 1)$ per slot; here slot 1 keeps, slot 2 forgets."),
            STAGE_EQUATIONS["forget"],
        ),
        (
            _C_IN,
            {"c_prev"},
            [("c_in", "c_prev", "cell")],
            N_("The old memory $c_{t-1}$ arrives along the cell state."),
            _C_ARRIVE,
        ),
        (
            {"mul_f", "f_c_prev", "c_mid"},
            {"f_c_prev"},
            [("c_mid", "f_c_prev", "forget")],
            N_("$f_t \\odot c_{t-1}$: ×0.95 keeps slot 1, ×0.05 all but erases slot 2."),
            r"$f_t \odot c_{t-1}$",
        ),
    ],
    "input": [
        (
            {"@inputs"},
            {"x", "h_prev"},
            _IN,
            N_("The same $[h_{t-1}, x_t]$ feeds two more layers."),
            _ARRIVE,
        ),
        (
            _I_BOX | {"i", "i_out"},
            {"i"},
            [("to_i", None, "hidden"), ("i_out", "i", "input")],
            N_("Input gate (sigmoid): $i_t$ says which slots to write."),
            STAGE_EQUATIONS["input"].split(r"\quad")[0] + "$",
        ),
        (
            _G_BOX | {"g", "g_out"},
            {"g"},
            [("to_g", None, "hidden"), ("g_out", "g", "candidate")],
            N_("Candidate (tanh): $g_t$ proposes new values in $(-1, 1)$."),
            "$" + STAGE_EQUATIONS["input"].split(r"\quad")[1],
        ),
        (
            {"mul_i", "i_g", "ig_out"},
            {"i_g"},
            [("ig_out", "i_g", "input")],
            N_("$i_t \\odot g_t$: slot 1 is blocked (×0.05), slot 2 is written (×0.95)."),
            r"$i_t \odot g_t$",
        ),
    ],
    "cell": [
        (
            _C_IN,
            {"c_prev"},
            [("c_in", "c_prev", "cell")],
            N_("The cell state $c_{t-1}$ runs along the top."),
            _C_ARRIVE,
        ),
        (
            {"mul_f", "f_out", "f", "f_c_prev", "c_mid"},
            {"f", "f_c_prev"},
            [("f_out", "f", "forget"), ("c_mid", "f_c_prev", "forget")],
            N_("First it is multiplied by the forget gate: $f_t \\odot c_{t-1}$."),
            r"$f_t \odot c_{t-1}$",
        ),
        (
            {"mul_i", "ig_out", "i_g"},
            {"i_g"},
            [("ig_out", "i_g", "input")],
            N_("Then the gated candidate $i_t \\odot g_t$ is added."),
            r"$f_t \odot c_{t-1} + i_t \odot g_t$",
        ),
        (
            {"add", "c_out", "c", "name_c", "fork_c"},
            {"c"},
            [("c_out", "c", "cell")],
            N_("The sum is the new cell state: slot 1 kept its memory, slot 2 holds the new one."),
            STAGE_EQUATIONS["cell"],
        ),
    ],
    "output": [
        (
            {"@inputs"},
            {"x", "h_prev"},
            _IN,
            N_("$[h_{t-1}, x_t]$ arrives at the output gate's sigmoid layer."),
            _ARRIVE,
        ),
        (
            _O_BOX | {"o", "o_out"},
            {"o"},
            [("bus_o", None, "hidden"), ("o_out", "o", "output")],
            N_("$o_t$ says which slots of the memory to show: slot 1 yes, slot 2 no."),
            STAGE_EQUATIONS["output"].split(r"\quad")[0] + "$",
        ),
        (
            {"c_out", "c", "fork_c", "c_to_tanh", "tanh_c", "tanh_to_mul"},
            {"c", "tanh_c"},
            [("c_to_tanh", "c", "cell"), ("tanh_to_mul", "tanh_c", "cell")],
            N_("The new cell state is squashed into $(-1, 1)$: $\\tanh(c_t)$."),
            r"$\tanh(c_t)$",
        ),
        (
            {"mul_o", "h_new", "fork_h", "h_up", "h", "h_top"},
            {"h"},
            [("h_new", "h", "hidden")],
            N_("$h_t = o_t \\odot \\tanh(c_t)$: slot 1 is shown, slot 2 stays hidden."),
            "$" + STAGE_EQUATIONS["output"].split(r"\quad")[1],
        ),
    ],
}

_TITLES = {
    "forget": N_("Forget gate"),
    "input": N_("Input gate"),
    "cell": N_("Cell-state update"),
    "output": N_("Output gate"),
}

#: Captions of the stages when the numbers are not the worked example's: the
#: captions above, cut before what they say about slots 1 and 2 (see
#: ``cell_animations.lstm_gate_animation``); listed so that they are translated too.
_GENERAL_CAPTIONS = (
    N_("$f_t$: one number in $(0, 1)$ per slot."),
    N_("The sum is the new cell state."),
    N_("$o_t$ says which slots of the memory to show."),
)
