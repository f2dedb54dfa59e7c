//! vigil-synth
