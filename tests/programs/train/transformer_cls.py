"""TransformerEncoder classifier with a key padding mask and a linear warm-up schedule."""
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
vocab, d_model, classes, seq, batch = 40, 32, 3, 10, 8
tokens = torch.randint(1, vocab, (batch * 20, seq))
lengths = torch.randint(3, seq + 1, (batch * 20,))
pad = torch.arange(seq).unsqueeze(0) >= lengths.unsqueeze(1)
tokens = tokens.masked_fill(pad, 0)
labels = (tokens.sum(1) % classes)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.randn(seq, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, classes)

    def forward(self, x, padding_mask):
        h = self.encoder(self.embed(x) + self.pos, src_key_padding_mask=padding_mask)
        keep = (~padding_mask).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


model = Classifier()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 5))
print(f"params {sum(p.numel() for p in model.parameters())}")
for step in range(1, 21):
    sl = slice((step - 1) * batch, step * batch)
    loss = nn.functional.cross_entropy(model(tokens[sl], pad[sl]), labels[sl])
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step} loss {loss.item():.6f} lr {sched.get_last_lr()[0]:.6f}")
