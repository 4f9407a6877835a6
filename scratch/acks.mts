process.argv.push('--rounds', '1', '--trainees', '30');
