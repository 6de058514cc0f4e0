/* gate: the bytes a parent writes on a peer's gate, one per call.
 *
 * A gated peer reads one byte before each socket call (see trace.h):
 * GATE_GO lets that call happen; GATE_FINISH asks the side to wind down,
 * and the call waiting then is made only if it is part of winding down.
 * End of file on the gate lets the peer run freely.
 */
#ifndef SOCKSCOPE_GATE_H
#define SOCKSCOPE_GATE_H

#define GATE_GO     's'
#define GATE_FINISH 'f'

#endif
