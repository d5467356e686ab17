from .models import BatchEncoder, Counter, Encoder, Scaler, Scanner

__all__ = ["BatchEncoder", "Counter", "Encoder", "Scaler", "Scanner"]
