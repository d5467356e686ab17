from .models import BatchEncoder, Counter, Encoder, Scaler, Scanner
