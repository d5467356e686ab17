from .batch import BatchEncoder
from .counter import Counter
from .encoder import Encoder
from .scaler import Scaler
from .scanner import Scanner

__all__ = ["BatchEncoder", "Counter", "Encoder", "Scaler", "Scanner"]
