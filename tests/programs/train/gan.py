"""A GAN step loop: two optimizers, the generator's output detached for the discriminator."""
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
real_data = torch.randn(256, 2) * 0.5 + torch.tensor([2.0, -1.0])
G = nn.Sequential(nn.Linear(8, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 2))
D = nn.Sequential(nn.Linear(2, 64), nn.LeakyReLU(0.2), nn.Linear(64, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
print(f"params {sum(p.numel() for p in G.parameters()) + sum(p.numel() for p in D.parameters())}")
for step in range(1, 21):
    real = real_data[(step * 32) % 256:(step * 32) % 256 + 32]
    fake = G(torch.randn(32, 8))
    d_loss = bce(D(real), torch.ones(32, 1)) + bce(D(fake.detach()), torch.zeros(32, 1))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = bce(D(fake), torch.ones(32, 1))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    print(f"step {step} d_loss {d_loss.item():.6f} g_loss {g_loss.item():.6f}")
