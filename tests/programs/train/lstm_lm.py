"""A small LSTM language model on a synthetic token stream (embedding, 2-layer LSTM with
dropout, tied-size decoder), 20 Adam steps with gradient clipping."""
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
vocab, emb, hidden, seq, batch = 50, 32, 48, 12, 8
data = torch.randint(0, vocab, (batch * 21, seq + 1))


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, dropout=0.2, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.head(out), state


model = LM()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
print(f"params {sum(p.numel() for p in model.parameters())}")
for step in range(1, 21):
    chunk = data[(step - 1) * batch: step * batch]
    x, y = chunk[:, :-1], chunk[:, 1:]
    logits, _ = model(x)
    loss = nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    opt.step()
    print(f"step {step} loss {loss.item():.6f}")
