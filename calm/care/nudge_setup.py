"""What to add, by hand, for ``calm nudge`` to speak: ``calm nudge --setup NAME`` prints
it. calm never edits a dotfile, and never installs a timer, itself."""

from __future__ import annotations

SETUPS = {
    "bash": (
        "# Add to ~/.bashrc: a kind line above your prompt now and then.\n"
        'PROMPT_COMMAND="calm nudge --once-per 3${PROMPT_COMMAND:+; $PROMPT_COMMAND}"'
    ),
    "zsh": (
        "# Add to ~/.zshrc: a kind line above your prompt now and then.\n"
        "autoload -Uz add-zsh-hook\n"
        "_calm_nudge() { calm nudge --once-per 3 }\n"
        "add-zsh-hook precmd _calm_nudge"
    ),
    "fish": (
        "# Add to ~/.config/fish/config.fish: a kind line above your prompt now and then.\n"
        "function _calm_nudge --on-event fish_prompt\n"
        "    calm nudge --once-per 3\n"
        "end"
    ),
    "tmux": (
        "# Add to ~/.tmux.conf: today's next suggestion in the status line, while there is one.\n"
        "set -g status-interval 60\n"
        "set -ga status-right ' #(calm nudge --status)'"
    ),
    "cron": (
        "# Add with `crontab -e`: a desktop notification at 6 pm, if anything is left.\n"
        "0 18 * * * DISPLAY=:0 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus "
        "calm nudge --notify"
    ),
    "systemd": (
        "# Save as ~/.config/systemd/user/calm-nudge.service\n"
        "[Unit]\n"
        "Description=A kind reminder from calm\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        "ExecStart=%h/.local/bin/calm nudge --notify\n"
        "\n"
        "# Save as ~/.config/systemd/user/calm-nudge.timer\n"
        "[Unit]\n"
        "Description=A kind reminder from calm, late afternoon\n"
        "\n"
        "[Timer]\n"
        "OnCalendar=*-*-* 17:30\n"
        "Persistent=false\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
        "\n"
        "# Then: systemctl --user daemon-reload && systemctl --user enable --now calm-nudge.timer"
    ),
    "launchd": (
        "<!-- Save as ~/Library/LaunchAgents/org.calm.nudge.plist, then:\n"
        "     launchctl load ~/Library/LaunchAgents/org.calm.nudge.plist -->\n"
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n'
        "<dict>\n"
        "    <key>Label</key><string>org.calm.nudge</string>\n"
        "    <key>ProgramArguments</key>\n"
        "    <array><string>calm</string><string>nudge</string><string>--notify</string></array>\n"
        "    <key>StartCalendarInterval</key>\n"
        "    <dict><key>Hour</key><integer>17</integer>"
        "<key>Minute</key><integer>30</integer></dict>\n"
        "</dict>\n"
        "</plist>"
    ),
}
"""Each place a nudge can come from, and what to add there."""
