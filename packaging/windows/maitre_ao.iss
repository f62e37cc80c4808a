; Inno Setup script for Maître AO (Windows). Build: iscc /DAppVersion=X.Y.Z packaging\windows\maitre_ao.iss
; Input: dist\maitre-ao\ made by `make package` (PyInstaller one-folder build).
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6B1C9D1E-7B0A-4A43-9E2B-3C1D6A2F9A11}
AppName=Maître AO
AppVersion={#AppVersion}
AppPublisher=Lumina Systèmes
AppPublisherURL=https://www.maitre-ao.fr
DefaultDirName={autopf}\Maitre AO
DefaultGroupName=Maître AO
OutputDir=..\..\dist
OutputBaseFilename=MaitreAO-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
UninstallDisplayIcon={app}\Maitre AO.exe
; Signed by the CI when the certificate secrets are present (see packaging/README.md).
SignedUninstaller=no

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; GroupDescription: "Raccourcis :"

[Files]
Source: "..\..\dist\maitre-ao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Maître AO"; Filename: "{app}\Maitre AO.exe"
Name: "{autodesktop}\Maître AO"; Filename: "{app}\Maitre AO.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Maitre AO.exe"; Description: "Lancer Maître AO"; Flags: nowait postinstall skipifsilent
