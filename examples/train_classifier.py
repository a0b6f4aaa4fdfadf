"""Fine-tune a ResNet-50 on an image folder (ImageFolder layout: one sub-folder per class)."""
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

EPOCHS = 30
BATCH_SIZE = 64

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
transform = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])
train_set = datasets.ImageFolder("data/train", transform=transform)
loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, num_workers=0)

model = models.resnet50(pretrained=True)
model.fc = nn.Linear(model.fc.in_features, len(train_set.classes))
model = model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    model.train()
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
