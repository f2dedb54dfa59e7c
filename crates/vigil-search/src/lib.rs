//! vigil-search
